import { Injectable } from '@nestjs/common';
import { OrganizationId, PrismaService, sql, SqlFragment, TransactionClient } from '@app/database';

/**
 * The unique index that dedupes deliveries (provider delivery id per integration), by the name
 * PostgreSQL gave it: the migration's name cut to 63 bytes, the longest name it keeps.
 */
export const DEDUPE_KEY = 'webhook_deliveries_organization_id_integration_id_provider_d_key'.slice(
  0,
  63,
);

export interface IngestIntegration {
  organizationId: string;
  kind: 'github' | 'gitlab' | 'generic';
  secretCiphertext: string;
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
}

@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The integration a public webhook names, with its organization and sealed secrets, before any
   * tenant is known: one round trip through a SECURITY DEFINER function that answers for live
   * integrations of live organizations only (see the ci_evidence migration).
   */
  async integrationForIngest(integrationId: string): Promise<IngestIntegration | undefined> {
    const rows = await this.prisma.$queryRaw<IngestIntegration[]>`
      SELECT organization_id AS "organizationId", kind, secret_ciphertext AS "secretCiphertext",
             previous_secret_ciphertext AS "previousSecretCiphertext",
             previous_secret_expires_at AS "previousSecretExpiresAt"
        FROM app_integration_for_ingest(${integrationId}::uuid)`;
    return rows[0];
  }

  /**
   * The INSERT of a new delivery under an id chosen in advance, for TenantTransactions.writeOnce
   * (sent with its processing job in one message). No ON CONFLICT: a provider delivery id stored
   * before for this integration violates the dedupe key (DEDUPE_KEY), which rolls back the whole
   * message, the job included; whichever API process got there first wins.
   */
  insertDeliveryStatement(
    organizationId: OrganizationId,
    delivery: {
      id: string;
      integrationId: string;
      provider: 'github' | 'gitlab' | 'generic';
      event: string | null;
      providerDeliveryId: string;
      headers: Record<string, string>;
      rawBody: Buffer;
      status: 'received' | 'processed';
    },
  ): SqlFragment {
    const processed = delivery.status === 'processed';
    // Hex digits only, so the bytea literal is built here rather than escaped.
    const rawBody = new SqlFragment(`'\\x${delivery.rawBody.toString('hex')}'::bytea`);
    return sql`
      INSERT INTO webhook_deliveries
             (id, organization_id, integration_id, provider, event, provider_delivery_id, headers,
              raw_body, status, outcome, processed_at)
      VALUES (${delivery.id}::uuid, ${organizationId}::uuid, ${delivery.integrationId}::uuid,
              ${delivery.provider}::"IntegrationKind", ${delivery.event},
              ${delivery.providerDeliveryId}, ${JSON.stringify(delivery.headers)}::jsonb,
              ${rawBody}, ${delivery.status}::"DeliveryStatus",
              ${processed ? sql`'{"kind":"ping"}'::jsonb` : null},
              ${processed ? sql`now()` : null})`;
  }

  async existingDelivery(
    tx: TransactionClient,
    organizationId: OrganizationId,
    integrationId: string,
    providerDeliveryId: string,
  ) {
    return tx.webhookDelivery.findUnique({
      where: {
        organizationId_integrationId_providerDeliveryId: {
          organizationId,
          integrationId,
          providerDeliveryId,
        },
      },
      select: { id: true, status: true },
    });
  }
}
