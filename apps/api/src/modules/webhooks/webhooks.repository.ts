import { Injectable } from '@nestjs/common';
import { OrganizationId, PrismaService, TransactionClient } from '@app/database';

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
   * Stores a delivery unless its provider delivery id was stored before for this integration (the
   * unique key decides, whichever API process gets there first): the new id, or undefined.
   */
  async insertDelivery(
    tx: TransactionClient,
    organizationId: OrganizationId,
    delivery: {
      integrationId: string;
      provider: 'github' | 'gitlab' | 'generic';
      event: string | null;
      providerDeliveryId: string;
      headers: Record<string, string>;
      rawBody: Buffer;
      status: 'received' | 'processed';
    },
  ): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO webhook_deliveries
             (organization_id, integration_id, provider, event, provider_delivery_id, headers,
              raw_body, status, outcome, processed_at)
      VALUES (${organizationId}::uuid, ${delivery.integrationId}::uuid,
              ${delivery.provider}::"IntegrationKind", ${delivery.event},
              ${delivery.providerDeliveryId}, ${JSON.stringify(delivery.headers)}::jsonb,
              ${delivery.rawBody}, ${delivery.status}::"DeliveryStatus",
              CASE WHEN ${delivery.status} = 'processed' THEN '{"kind":"ping"}'::jsonb END,
              CASE WHEN ${delivery.status} = 'processed' THEN now() END)
      ON CONFLICT (organization_id, integration_id, provider_delivery_id) DO NOTHING
      RETURNING id`;
    return rows[0]?.id;
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
