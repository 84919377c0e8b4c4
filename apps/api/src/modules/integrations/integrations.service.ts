import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { newWebhookSecret, validateMappingRules } from '@app/ci-evidence';
import { fetchPage, Page, problems, TenantScope, type FieldError } from '@app/common';
import {
  OrganizationId,
  SecretBox,
  TenantTransactions,
  TransactionClient,
  toStoredJson,
} from '@app/database';
import { JobQueue } from '@app/jobs';
import { AuditTrail } from '../audit/audit-trail';
import { CriteriaCatalogueReader } from '../evidence/criteria-catalogue';
import { EvidenceRepository } from '../evidence/evidence.repository';
import {
  CreateIntegrationDto,
  DeliveryDto,
  DeliveryQueryDto,
  DeliverySummaryDto,
  IntegrationDto,
  IntegrationWithSecretDto,
  UpdateIntegrationDto,
} from './dto/integration.dto';
import { PROCESS_DELIVERY_JOB } from './integrations.jobs';
import { IntegrationSettings, IntegrationsRepository } from './integrations.repository';

type IntegrationRow = NonNullable<Awaited<ReturnType<IntegrationsRepository['find']>>>;

/** How long the previous secret keeps verifying after a rotation: time to update the CI side. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export function secretContext(integrationId: string): string {
  return `integration:${integrationId}`;
}

function present(row: IntegrationRow, baseUrl: string): IntegrationDto {
  return {
    ...row,
    repositories: row.repositories as unknown as IntegrationDto['repositories'],
    rules: row.rules as unknown as IntegrationDto['rules'],
    ingestUrl: `${baseUrl}/v1/hooks/${row.id}`,
  };
}

/**
 * CI integrations: where an organization's CI systems send signed webhooks, and how their runs
 * map to teams and criteria. Secrets are generated here, shown once, stored encrypted.
 */
@Injectable()
export class IntegrationsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly integrations: IntegrationsRepository,
    private readonly evidence: EvidenceRepository,
    private readonly catalogue: CriteriaCatalogueReader,
    private readonly secrets: SecretBox,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
  ) {}

  create(
    scope: TenantScope,
    input: CreateIntegrationDto,
    baseUrl: string,
  ): Promise<IntegrationWithSecretDto> {
    const { organizationId } = scope;
    const id = randomUUID();
    const secret = newWebhookSecret(input.kind);
    return this.transactions.run(scope, async (tx) => {
      const settings = await this.checkedSettings(tx, organizationId, {
        name: input.name,
        teamId: input.teamId ?? null,
        repositories: input.repositories ?? [],
        rules: input.rules ?? [],
        branches: input.branches ?? [],
      });
      const row = await this.integrations.create(tx, organizationId, {
        id,
        kind: input.kind,
        ...settings,
        secretCiphertext: this.secrets.seal(secret, secretContext(id)),
      });
      await this.audit.record(tx, scope, {
        action: 'integration.created',
        entityType: 'integration',
        entityId: id,
        changes: { kind: input.kind, ...settings },
      });
      return { ...present(row, baseUrl), secret };
    });
  }

  list(
    scope: TenantScope,
    query: DeliveryQueryDto,
    baseUrl: string,
  ): Promise<Page<IntegrationDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) =>
      fetchPage(
        query,
        ({ after, take }) => this.integrations.list(tx, organizationId, query, after, take),
        (row) => present(row, baseUrl),
      ),
    );
  }

  get(scope: TenantScope, id: string, baseUrl: string): Promise<IntegrationDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) =>
      present(await this.existing(tx, organizationId, id), baseUrl),
    );
  }

  update(
    scope: TenantScope,
    id: string,
    input: UpdateIntegrationDto,
    baseUrl: string,
  ): Promise<IntegrationDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const current = await this.existing(tx, organizationId, id);
      const settings = await this.checkedSettings(tx, organizationId, {
        name: input.name ?? current.name,
        teamId: input.teamId === undefined ? current.teamId : input.teamId,
        repositories:
          input.repositories ?? (current.repositories as unknown as IntegrationDto['repositories']),
        rules: input.rules ?? (current.rules as unknown as IntegrationDto['rules']),
        branches: input.branches ?? current.branches,
      });
      const row = await this.integrations.update(tx, organizationId, id, settings);
      await this.audit.record(tx, scope, {
        action: 'integration.updated',
        entityType: 'integration',
        entityId: id,
        changes: { ...input },
      });
      return present(row, baseUrl);
    });
  }

  /** Webhooks to a deleted integration answer 404; its deliveries and evidence are kept. */
  remove(scope: TenantScope, id: string): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      if (!(await this.integrations.softDelete(tx, organizationId, id))) {
        throw problems.notFound('Integration');
      }
      await this.audit.record(tx, scope, {
        action: 'integration.deleted',
        entityType: 'integration',
        entityId: id,
      });
    });
  }

  /** A new secret, shown once; the previous one keeps verifying for 24 hours. */
  rotateSecret(scope: TenantScope, id: string, baseUrl: string): Promise<IntegrationWithSecretDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const current = await this.existing(tx, organizationId, id);
      const secret = newWebhookSecret(current.kind);
      const previousSecretExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
      await this.integrations.rotateSecret(
        tx,
        organizationId,
        id,
        this.secrets.seal(secret, secretContext(id)),
        previousSecretExpiresAt,
      );
      await this.audit.record(tx, scope, {
        action: 'integration.secret_rotated',
        entityType: 'integration',
        entityId: id,
        changes: { previousSecretExpiresAt },
      });
      return { ...present({ ...current, previousSecretExpiresAt }, baseUrl), secret };
    });
  }

  deliveries(
    scope: TenantScope,
    integrationId: string,
    query: DeliveryQueryDto,
  ): Promise<Page<DeliverySummaryDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existing(tx, organizationId, integrationId);
      return fetchPage(
        query,
        ({ after, take }) =>
          this.integrations.listDeliveries(tx, organizationId, integrationId, query, after, take),
        (row) => row,
        { positionOf: (row) => ({ createdAt: row.receivedAt, id: row.id }) },
      );
    });
  }

  delivery(scope: TenantScope, integrationId: string, deliveryId: string): Promise<DeliveryDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const row = await this.integrations.findDelivery(
        tx,
        organizationId,
        integrationId,
        deliveryId,
      );
      if (!row) throw problems.notFound('Delivery');
      const { rawBody, headers, outcome, ...summary } = row;
      return {
        ...summary,
        headers: headers as Record<string, string>,
        body: Buffer.from(rawBody).toString('utf8'),
        outcome: outcome as Record<string, unknown> | null,
      };
    });
  }

  /** Processes a delivery again (after fixing the mapping, or a dead one); replaces its evidence. */
  redeliver(
    scope: TenantScope,
    integrationId: string,
    deliveryId: string,
  ): Promise<{ deliveryId: string; duplicate: boolean; status: string }> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const requeued = await this.integrations.requeueDelivery(
        tx,
        organizationId,
        integrationId,
        deliveryId,
      );
      if (!requeued) throw problems.notFound('Delivery');
      await this.jobs.enqueue(tx, PROCESS_DELIVERY_JOB, { organizationId, deliveryId });
      await this.audit.record(tx, scope, {
        action: 'integration.delivery_redelivered',
        entityType: 'webhook_delivery',
        entityId: deliveryId,
      });
      return { deliveryId, duplicate: false, status: 'received' };
    });
  }

  private async existing(tx: TransactionClient, organizationId: OrganizationId, id: string) {
    const row = await this.integrations.find(tx, organizationId, id);
    if (!row) throw problems.notFound('Integration');
    return row;
  }

  /** Teams must be the organization's, rules must compile safely and name known criteria (422). */
  private async checkedSettings(
    tx: TransactionClient,
    organizationId: OrganizationId,
    settings: {
      name: string;
      teamId: string | null;
      repositories: { pattern: string; teamId: string }[];
      rules: { match: string; criterionKey: string; repository?: string; branch?: string }[];
      branches: string[];
    },
  ): Promise<IntegrationSettings> {
    const named = [
      ...(settings.teamId ? [settings.teamId] : []),
      ...settings.repositories.map((mapping) => mapping.teamId),
    ];
    const known = await this.evidence.existingTeamIds(tx, organizationId, [...new Set(named)]);
    const errors: FieldError[] = [];
    if (settings.teamId && !known.has(settings.teamId)) {
      errors.push({ field: 'teamId', reasons: ['not a team of this organization'] });
    }
    settings.repositories.forEach((mapping, i) => {
      if (!known.has(mapping.teamId)) {
        errors.push({
          field: `repositories[${i}].teamId`,
          reasons: ['not a team of this organization'],
        });
      }
    });
    const catalogue = await this.catalogue.read(tx, organizationId);
    for (const problem of validateMappingRules(
      settings.rules,
      new Set(catalogue.signals.map((signal) => signal.key)),
    )) {
      errors.push({ field: problem.field, reasons: [problem.reason] });
    }
    if (errors.length > 0) {
      throw problems.unprocessable('The integration settings are not valid; nothing was stored.', {
        errors,
      });
    }
    return {
      ...settings,
      repositories: toStoredJson(settings.repositories),
      rules: toStoredJson(settings.rules),
      branches: [...new Set(settings.branches)],
    };
  }
}
