import { Injectable } from '@nestjs/common';
import { createdWithin, CursorPosition, keysetAfter, NEWEST_FIRST } from '@app/common';
import { OrganizationId, Prisma, TransactionClient } from '@app/database';
import type { DELIVERY_STATUSES } from './dto/integration.dto';

type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Never a secret: nothing that leaves this repository in a list can verify a webhook. */
const INTEGRATION_FIELDS = {
  id: true,
  kind: true,
  name: true,
  teamId: true,
  repositories: true,
  rules: true,
  branches: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

const DELIVERY_SUMMARY_FIELDS = {
  id: true,
  integrationId: true,
  provider: true,
  event: true,
  providerDeliveryId: true,
  status: true,
  attempts: true,
  lastError: true,
  receivedAt: true,
  processedAt: true,
} as const;

export interface IntegrationSettings {
  name: string;
  teamId: string | null;
  repositories: Prisma.InputJsonValue;
  rules: Prisma.InputJsonValue;
  branches: string[];
}

@Injectable()
export class IntegrationsRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: IntegrationSettings & {
      id: string;
      kind: 'github' | 'gitlab' | 'generic';
      secretCiphertext: string;
    },
  ) {
    return tx.integration.create({ data: { organizationId, ...data }, select: INTEGRATION_FIELDS });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, id: string) {
    return tx.integration.findFirst({
      where: { organizationId, id, deletedAt: null },
      select: INTEGRATION_FIELDS,
    });
  }

  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    range: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.integration.findMany({
      where: { organizationId, deletedAt: null, AND: [createdWithin(range), keysetAfter(after)] },
      orderBy: NEWEST_FIRST,
      take,
      select: INTEGRATION_FIELDS,
    });
  }

  update(
    tx: TransactionClient,
    organizationId: OrganizationId,
    id: string,
    data: Partial<IntegrationSettings>,
  ) {
    return tx.integration.update({
      where: { organizationId_id: { organizationId, id } },
      data: { ...data, lockVersion: { increment: 1 } },
      select: INTEGRATION_FIELDS,
    });
  }

  async softDelete(tx: TransactionClient, organizationId: OrganizationId, id: string) {
    const { count } = await tx.integration.updateMany({
      where: { organizationId, id, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    return count === 1;
  }

  /** The current secret becomes the previous one (verifying until `previousExpiresAt`). */
  async rotateSecret(
    tx: TransactionClient,
    organizationId: OrganizationId,
    id: string,
    secretCiphertext: string,
    previousExpiresAt: Date,
  ) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE integrations
         SET previous_secret_ciphertext = secret_ciphertext,
             previous_secret_expires_at = ${previousExpiresAt},
             secret_ciphertext = ${secretCiphertext},
             lock_version = lock_version + 1, updated_at = now()
       WHERE organization_id = ${organizationId}::uuid AND id = ${id}::uuid AND deleted_at IS NULL
      RETURNING id`;
    return rows.length === 1;
  }

  listDeliveries(
    tx: TransactionClient,
    organizationId: OrganizationId,
    integrationId: string,
    filter: { from?: string; to?: string; status?: DeliveryStatus },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.webhookDelivery.findMany({
      where: {
        organizationId,
        integrationId,
        ...(filter.status ? { status: filter.status } : {}),
        AND: [
          filter.from || filter.to
            ? {
                receivedAt: {
                  ...(filter.from ? { gte: new Date(filter.from) } : {}),
                  ...(filter.to ? { lt: new Date(filter.to) } : {}),
                },
              }
            : {},
          after
            ? {
                OR: [
                  { receivedAt: { lt: after.createdAt } },
                  { receivedAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {},
        ],
      },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take,
      select: DELIVERY_SUMMARY_FIELDS,
    });
  }

  findDelivery(
    tx: TransactionClient,
    organizationId: OrganizationId,
    integrationId: string,
    deliveryId: string,
  ) {
    return tx.webhookDelivery.findFirst({
      where: { organizationId, integrationId, id: deliveryId },
      select: { ...DELIVERY_SUMMARY_FIELDS, headers: true, rawBody: true, outcome: true },
    });
  }

  /**
   * Locks deliveries for processing (in id order, so two callers locking overlapping sets
   * cannot deadlock); the ones found, oldest received first.
   */
  async lockDeliveries(tx: TransactionClient, organizationId: OrganizationId, ids: string[]) {
    // With their integration's mapping (also a deleted integration's: its deliveries were
    // accepted before) in the same round trip; only the delivery rows are locked.
    const rows = await tx.$queryRaw<
      {
        id: string;
        integrationId: string;
        provider: 'github' | 'gitlab' | 'generic';
        event: string | null;
        providerDeliveryId: string;
        rawBody: Uint8Array;
        status: DeliveryStatus;
        attempts: number;
        receivedAt: Date;
        integration: {
          teamId: string | null;
          repositories: unknown;
          rules: unknown;
          branches: string[];
        } | null;
      }[]
    >`
      SELECT * FROM (
        SELECT d.id, d.integration_id AS "integrationId", d.provider::text AS provider, d.event,
               d.provider_delivery_id AS "providerDeliveryId", d.raw_body AS "rawBody",
               d.status::text AS status, d.attempts, d.received_at AS "receivedAt",
               CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object(
                 'teamId', i.team_id, 'repositories', i.repositories, 'rules', i.rules,
                 'branches', i.branches) END AS integration
          FROM webhook_deliveries d
          LEFT JOIN integrations i
            ON i.organization_id = d.organization_id AND i.id = d.integration_id
         WHERE d.organization_id = ${organizationId}::uuid AND d.id = ANY(${ids}::uuid[])
         ORDER BY d.id
           FOR UPDATE OF d) locked
       ORDER BY "receivedAt", id`;
    return rows;
  }

  /** Marks processed deliveries with their outcomes, in one statement. */
  async finishDeliveries(
    tx: TransactionClient,
    organizationId: OrganizationId,
    finished: { id: string; status: 'processed' | 'ignored'; outcome: Prisma.InputJsonValue }[],
  ): Promise<void> {
    if (finished.length === 0) return;
    await tx.$executeRaw`
      UPDATE webhook_deliveries d
         SET status = f.status::"DeliveryStatus", outcome = f.outcome, attempts = d.attempts + 1,
             last_error = NULL, processed_at = now()
        FROM unnest(${finished.map((row) => row.id)}::uuid[],
                    ${finished.map((row) => row.status)}::text[],
                    ${finished.map((row) => JSON.stringify(row.outcome))}::jsonb[])
             AS f(id, status, outcome)
       WHERE d.organization_id = ${organizationId}::uuid AND d.id = f.id`;
  }

  failDelivery(
    tx: TransactionClient,
    organizationId: OrganizationId,
    deliveryId: string,
    data: { status: 'failed' | 'dead'; lastError: string },
  ) {
    return tx.webhookDelivery.updateMany({
      where: { organizationId, id: deliveryId, status: { in: ['received', 'failed'] } },
      data: { ...data, attempts: { increment: 1 } },
    });
  }

  /** Back to `received` for another processing run; false when no such delivery. */
  async requeueDelivery(
    tx: TransactionClient,
    organizationId: OrganizationId,
    integrationId: string,
    deliveryId: string,
  ) {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { organizationId, integrationId, id: deliveryId },
      data: { status: 'received', lastError: null },
    });
    return count === 1;
  }
}
