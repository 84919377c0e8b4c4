import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { problems, RequestContext } from '@app/common';
import { isUniqueViolation, OrganizationId, TenantTransactions } from '@app/database';
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
    private readonly context: RequestContext,
    private readonly transactions: TenantTransactions,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** The caller creates the organization and becomes its first owner. */
  async create(input: CreateOrganizationDto): Promise<OrganizationDto> {
    const userId = this.context.userId();
    const organizationId = randomUUID() as OrganizationId;
    try {
      return await this.transactions.run(
        organizationId,
        async (tx) => {
          const organization = await this.organizations.create(tx, organizationId, input, userId);
          await this.audit.record(tx, organizationId, {
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

  listMine(): Promise<MyOrganizationDto[]> {
    return this.transactions.runForUser(this.context.userId(), async (tx) => {
      const memberships = await this.organizations.listForUser(tx, this.context.userId());
      return memberships.map(({ role, organization }) => ({ ...organization, role }));
    });
  }

  get(): Promise<OrganizationDto> {
    const organizationId = this.context.organizationId();
    return this.transactions.run(organizationId, async (tx) => {
      const organization = await this.organizations.find(tx, organizationId);
      if (!organization) throw problems.notFound('Organization');
      return organization;
    });
  }

  async update(input: UpdateOrganizationDto): Promise<OrganizationDto> {
    const organizationId = this.context.organizationId();
    try {
      return await this.transactions.run(organizationId, async (tx) => {
        const organization = await this.organizations.update(tx, organizationId, input);
        await this.audit.record(tx, organizationId, {
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

  /** Soft delete: the organization stops answering, its history (audit, snapshots) is kept. */
  remove(): Promise<void> {
    const organizationId = this.context.organizationId();
    return this.transactions.run(organizationId, async (tx) => {
      await this.organizations.softDelete(tx, organizationId);
      await this.audit.record(tx, organizationId, {
        action: 'organization.deleted',
        entityType: 'organization',
        entityId: organizationId,
      });
    });
  }
}
