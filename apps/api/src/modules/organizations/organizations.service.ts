import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { problems, TenantScope, UserScope } from '@app/common';
import { isUniqueViolation, OrganizationId, TenantTransactions } from '@app/database';
import { JobQueue } from '@app/jobs';
import { CLOSE_ORGANIZATION_JOB } from './organizations.jobs';
import { AuditTrail } from '../audit/audit-trail';
import {
  CreateOrganizationDto,
  MyOrganizationDto,
  OrganizationDto,
  UpdateOrganizationDto,
} from './dto/organization.dto';
import { OrganizationsRepository } from './organizations.repository';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
  ) {}

  /** The caller creates the organization and becomes its first owner. */
  async create(caller: UserScope, input: CreateOrganizationDto): Promise<OrganizationDto> {
    const { userId } = caller.actor;
    const organizationId = randomUUID() as OrganizationId;
    const scope: TenantScope = {
      organizationId,
      actor: { kind: 'user', userId, role: 'owner' },
      meta: caller.meta,
    };
    try {
      return await this.transactions.run(
        organizationId,
        async (tx) => {
          const organization = await this.organizations.create(tx, organizationId, input, userId);
          await this.audit.record(tx, scope, {
            action: 'organization.created',
            entityType: 'organization',
            entityId: organizationId,
            changes: { ...input },
          });
          return organization;
        },
        { userId },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw problems.conflict(`The slug "${input.slug}" is taken.`);
      throw error;
    }
  }

  listMine(caller: UserScope): Promise<MyOrganizationDto[]> {
    const { userId } = caller.actor;
    return this.transactions.runForUser(userId, async (tx) => {
      const memberships = await this.organizations.listForUser(tx, userId);
      return memberships.map(({ role, organization }) => ({ ...organization, role }));
    });
  }

  get(scope: TenantScope): Promise<OrganizationDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const organization = await this.organizations.find(tx, organizationId);
      if (!organization) throw problems.notFound('Organization');
      return organization;
    });
  }

  async update(scope: TenantScope, input: UpdateOrganizationDto): Promise<OrganizationDto> {
    const { organizationId } = scope;
    try {
      return await this.transactions.run(scope, async (tx) => {
        const organization = await this.organizations.update(tx, organizationId, input);
        await this.audit.record(tx, scope, {
          action: 'organization.updated',
          entityType: 'organization',
          entityId: organizationId,
          changes: { ...input },
        });
        return organization;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw problems.conflict(`The slug "${input.slug}" is taken.`);
      throw error;
    }
  }

  /**
   * Soft delete: the organization stops answering at once, its history (audit, snapshots) is kept,
   * and a job then revokes its API keys and ends its invitations.
   */
  remove(scope: TenantScope): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.organizations.softDelete(tx, organizationId);
      await this.jobs.enqueue(tx, CLOSE_ORGANIZATION_JOB, { organizationId });
      await this.audit.record(tx, scope, {
        action: 'organization.deleted',
        entityType: 'organization',
        entityId: organizationId,
      });
    });
  }
}
