import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  actingUserId,
  fetchPage,
  Page,
  problems,
  TenantScope,
  TimeRangePageQueryDto,
} from '@app/common';
import { SecretBox, TenantTransactions, TransactionClient, OrganizationId } from '@app/database';
import { AuditTrail } from '../audit/audit-trail';
import {
  CreateWebhookEndpointDto,
  DeliveryListQueryDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhook-endpoint.dto';
import { NotificationsService } from './notifications.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

/** Standard Webhooks secrets: `whsec_` and base64 of 24 to 64 random bytes. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What a sealed secret is bound to: it opens only for its own endpoint row. */
export function secretContext(endpointId: string): string {
  return `webhook_endpoint:${endpointId}`;
}

function presentDelivery(row: { payload: unknown; [key: string]: unknown }): WebhookDeliveryDto {
  return {
    ...(row as unknown as WebhookDeliveryDto),
    payload: row.payload as Record<string, unknown>,
  };
}

/** Endpoints that receive signed notifications; their secret is shown once and stored sealed. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditTrail,
    private readonly box: SecretBox,
  ) {}

  create(
    scope: TenantScope,
    input: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointWithSecretDto> {
    const { organizationId } = scope;
    const id = randomUUID();
    const secret = newSecret();
    const events = [...new Set(input.events)];
    return this.transactions.run(scope, async (tx) => {
      const endpoint = await this.endpoints.create(tx, organizationId, {
        id,
        url: input.url,
        description: input.description,
        events,
        secretSealed: this.box.seal(secret, secretContext(id)),
        createdById: actingUserId(scope),
      });
      await this.audit.record(tx, scope, {
        action: 'webhook_endpoint.created',
        entityType: 'webhook_endpoint',
        entityId: id,
        changes: { url: input.url, events, description: input.description },
      });
      return { ...endpoint, secret };
    });
  }

  list(scope: TenantScope, query: TimeRangePageQueryDto): Promise<Page<WebhookEndpointDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) =>
      fetchPage(
        query,
        ({ after, take }) => this.endpoints.list(tx, organizationId, query, after, take),
        (row) => row,
      ),
    );
  }

  get(scope: TenantScope, endpointId: string): Promise<WebhookEndpointDto> {
    return this.transactions.run(scope, (tx) =>
      this.existing(tx, scope.organizationId, endpointId),
    );
  }

  update(
    scope: TenantScope,
    endpointId: string,
    input: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existing(tx, organizationId, endpointId);
      const changes = {
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled !== undefined
          ? { enabled: input.enabled, ...(input.enabled ? { disabledReason: null } : {}) }
          : {}),
      };
      const endpoint = await this.endpoints.update(tx, organizationId, endpointId, changes);
      await this.audit.record(tx, scope, {
        action: 'webhook_endpoint.updated',
        entityType: 'webhook_endpoint',
        entityId: endpointId,
        changes,
      });
      return endpoint;
    });
  }

  remove(scope: TenantScope, endpointId: string): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      if ((await this.endpoints.delete(tx, organizationId, endpointId)) === 0) {
        throw problems.notFound('Webhook endpoint');
      }
      await this.audit.record(tx, scope, {
        action: 'webhook_endpoint.deleted',
        entityType: 'webhook_endpoint',
        entityId: endpointId,
      });
    });
  }

  /** A new secret, shown once; the old one stops signing at once. */
  rotateSecret(scope: TenantScope, endpointId: string): Promise<WebhookEndpointWithSecretDto> {
    const { organizationId } = scope;
    const secret = newSecret();
    return this.transactions.run(scope, async (tx) => {
      await this.existing(tx, organizationId, endpointId);
      const endpoint = await this.endpoints.update(tx, organizationId, endpointId, {
        secretSealed: this.box.seal(secret, secretContext(endpointId)),
      });
      await this.audit.record(tx, scope, {
        action: 'webhook_endpoint.secret_rotated',
        entityType: 'webhook_endpoint',
        entityId: endpointId,
      });
      return { ...endpoint, secret };
    });
  }

  deliveries(
    scope: TenantScope,
    endpointId: string,
    query: DeliveryListQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existing(tx, organizationId, endpointId);
      return fetchPage(
        query,
        ({ after, take }) =>
          this.endpoints.deliveries(tx, organizationId, endpointId, query, after, take),
        presentDelivery,
      );
    });
  }

  /** Sends the same message again (same webhook-id) as a new delivery with its own attempts. */
  redeliver(
    scope: TenantScope,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existing(tx, organizationId, endpointId);
      const original = await this.endpoints.delivery(tx, organizationId, deliveryId);
      if (!original || original.endpointId !== endpointId) throw problems.notFound('Delivery');
      const { id } = await this.endpoints.createDelivery(tx, organizationId, {
        endpointId,
        eventId: original.eventId,
        eventType: original.eventType,
        payload: original.payload as object,
      });
      await this.notifications.enqueueAttempt(tx, organizationId, id);
      await this.audit.record(tx, scope, {
        action: 'webhook_endpoint.redelivered',
        entityType: 'webhook_endpoint',
        entityId: endpointId,
        changes: { deliveryId: id, of: deliveryId },
      });
      const created = await this.endpoints.delivery(tx, organizationId, id);
      const { endpointId: _endpointId, ...delivery } = created!;
      return presentDelivery(delivery);
    });
  }

  private async existing(
    tx: TransactionClient,
    organizationId: OrganizationId,
    endpointId: string,
  ) {
    const endpoint = await this.endpoints.find(tx, organizationId, endpointId);
    if (!endpoint) throw problems.notFound('Webhook endpoint');
    return endpoint;
  }
}
