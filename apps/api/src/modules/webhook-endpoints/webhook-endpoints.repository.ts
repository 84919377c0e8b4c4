import { Injectable } from '@nestjs/common';
import { createdWithin, CursorPosition, keysetAfter, NEWEST_FIRST } from '@app/common';
import { OrganizationId, Prisma, TransactionClient } from '@app/database';

const ENDPOINT_FIELDS = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  disabledReason: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
} as const;

const DELIVERY_FIELDS = {
  id: true,
  eventId: true,
  eventType: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastAttemptAt: true,
  responseStatus: true,
  lastError: true,
  payload: true,
  createdAt: true,
} as const;

/** The only Prisma user for webhook endpoints and their deliveries. */
@Injectable()
export class WebhookEndpointsRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      id: string;
      url: string;
      description: string;
      events: string[];
      secretSealed: string;
      createdById: string | null;
    },
  ) {
    return tx.webhookEndpoint.create({
      data: { organizationId, ...data },
      select: ENDPOINT_FIELDS,
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, endpointId: string) {
    return tx.webhookEndpoint.findUnique({
      where: { organizationId_id: { organizationId, id: endpointId } },
      select: ENDPOINT_FIELDS,
    });
  }

  /** With the sealed secret: for signing, never for an answer. */
  findForDelivery(tx: TransactionClient, organizationId: OrganizationId, endpointId: string) {
    return tx.webhookEndpoint.findUnique({
      where: { organizationId_id: { organizationId, id: endpointId } },
      select: { id: true, url: true, enabled: true, secretSealed: true },
    });
  }

  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    range: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.webhookEndpoint.findMany({
      where: { organizationId, AND: [createdWithin(range), keysetAfter(after)] },
      orderBy: NEWEST_FIRST,
      take,
      select: ENDPOINT_FIELDS,
    });
  }

  update(
    tx: TransactionClient,
    organizationId: OrganizationId,
    endpointId: string,
    data: Prisma.WebhookEndpointUpdateInput,
  ) {
    return tx.webhookEndpoint.update({
      where: { organizationId_id: { organizationId, id: endpointId } },
      data,
      select: ENDPOINT_FIELDS,
    });
  }

  async delete(tx: TransactionClient, organizationId: OrganizationId, endpointId: string) {
    const { count } = await tx.webhookEndpoint.deleteMany({
      where: { organizationId, id: endpointId },
    });
    return count;
  }

  /**
   * One delivery per (event, enabled endpoint subscribed to it), in one statement; answers the
   * new deliveries' ids (none when nobody subscribed).
   */
  createDeliveries(
    tx: TransactionClient,
    organizationId: OrganizationId,
    events: { eventId: string; eventType: string; payload: string }[],
  ): Promise<{ id: string }[]> {
    return tx.$queryRaw<{ id: string }[]>`
      INSERT INTO webhook_endpoint_deliveries
        (organization_id, endpoint_id, event_id, event_type, payload, status, next_attempt_at, updated_at)
      SELECT e.organization_id, e.id, n.event_id, n.event_type, n.payload::jsonb, 'pending', now(), now()
        FROM unnest(${events.map((n) => n.eventId)}::uuid[], ${events.map((n) => n.eventType)}::text[],
                    ${events.map((n) => n.payload)}::text[]) AS n(event_id, event_type, payload)
        JOIN webhook_endpoints e
          ON e.organization_id = ${organizationId}::uuid AND e.enabled AND n.event_type = ANY(e.events)
      RETURNING id`;
  }

  createDelivery(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      endpointId: string;
      eventId: string;
      eventType: string;
      payload: Prisma.InputJsonValue;
    },
  ) {
    return tx.webhookEndpointDelivery.create({
      data: { organizationId, status: 'pending', nextAttemptAt: new Date(), ...data },
      select: { id: true },
    });
  }

  delivery(tx: TransactionClient, organizationId: OrganizationId, deliveryId: string) {
    return tx.webhookEndpointDelivery.findUnique({
      where: { organizationId_id: { organizationId, id: deliveryId } },
      select: { ...DELIVERY_FIELDS, endpointId: true },
    });
  }

  deliveries(
    tx: TransactionClient,
    organizationId: OrganizationId,
    endpointId: string,
    filter: { from?: string; to?: string; status?: 'pending' | 'succeeded' | 'failed' },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.webhookEndpointDelivery.findMany({
      where: {
        organizationId,
        endpointId,
        ...(filter.status ? { status: filter.status } : {}),
        AND: [createdWithin(filter), keysetAfter(after)],
      },
      orderBy: NEWEST_FIRST,
      take,
      select: DELIVERY_FIELDS,
    });
  }

  /** Records an attempt if the delivery is still pending at `attempts` (one writer wins). */
  async recordAttempt(
    tx: TransactionClient,
    organizationId: OrganizationId,
    deliveryId: string,
    attempts: number,
    data: {
      status: 'pending' | 'succeeded' | 'failed';
      nextAttemptAt: Date | null;
      lastAttemptAt: Date;
      responseStatus: number | null;
      lastError: string | null;
    },
  ): Promise<boolean> {
    const { count } = await tx.webhookEndpointDelivery.updateMany({
      where: { organizationId, id: deliveryId, status: 'pending', attempts },
      data: { ...data, attempts: attempts + 1 },
    });
    return count === 1;
  }

  async lockDelivery(tx: TransactionClient, organizationId: OrganizationId, deliveryId: string) {
    await tx.$queryRaw`
      SELECT id FROM webhook_endpoint_deliveries
       WHERE organization_id = ${organizationId}::uuid AND id = ${deliveryId}::uuid FOR UPDATE`;
  }
}
