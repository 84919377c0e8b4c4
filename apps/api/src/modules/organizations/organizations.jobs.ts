import { IsUUID } from 'class-validator';
import { systemScope } from '@app/common';
import { TenantTransactions } from '@app/database';
import { Job, JobContext, JobHandler } from '@app/jobs';
import { AuditTrail } from '../audit/audit-trail';
import { OrganizationsRepository } from './organizations.repository';

export const CLOSE_ORGANIZATION_JOB = 'organizations.close';

export class CloseOrganizationPayload {
  @IsUUID()
  organizationId!: string;
}

/**
 * After an organization is deleted: its API keys are revoked and its pending invitations end, so
 * no credential of it outlives it even if the organization were restored. Enqueued in the
 * deletion's transaction (outbox); idempotent, so a retry after a crash changes nothing twice.
 */
@Job({ name: CLOSE_ORGANIZATION_JOB, payload: CloseOrganizationPayload })
export class CloseOrganizationJob implements JobHandler<CloseOrganizationPayload> {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async handle({ organizationId }: CloseOrganizationPayload, job: JobContext): Promise<void> {
    const scope = systemScope(organizationId, job.name, { jobId: job.id });
    await this.transactions.run(scope, async (tx) => {
      const closed = await this.organizations.closeCredentials(
        tx,
        scope.organizationId,
        new Date(),
      );
      if (closed.apiKeys === 0 && closed.invitations === 0) return;
      await this.audit.record(tx, scope, {
        action: 'organization.credentials_closed',
        entityType: 'organization',
        entityId: organizationId,
        changes: { revokedApiKeys: closed.apiKeys, endedInvitations: closed.invitations },
      });
    });
  }
}
