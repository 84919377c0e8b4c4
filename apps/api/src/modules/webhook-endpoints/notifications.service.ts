import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OrganizationId, TransactionClient } from '@app/database';
import { JobQueue } from '@app/jobs';
import type { NotificationEvent } from './dto/webhook-endpoint.dto';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

export const WEBHOOK_DELIVER_JOB = 'webhooks.deliver';

export interface Notification {
  event: NotificationEvent;
  data: Record<string, unknown>;
}

/**
 * `team.level_changed`, from any cause (an assessment, a campaign, CI evidence): the one place it
 * is decided. No notification when the level did not move or the team had none before.
 */
export function levelChange(change: {
  teamId: string;
  previousLevel: number | null;
  level: number;
  cause: 'assessment' | 'campaign' | 'evidence' | 'expiry';
  causeId: string;
}): Notification[] {
  if (change.previousLevel === null || change.previousLevel === change.level) return [];
  return [{ event: 'team.level_changed', data: change }];
}

/**
 * The one way events leave the service: `publish` inside the transaction of the change they
 * report (the outbox). For each enabled endpoint of the organization subscribed to an event it
 * stores a delivery (the body to send, Standard Webhooks' `{type, timestamp, data}`), all in one
 * INSERT ... SELECT, and enqueues its first attempt; the worker sends it (WebhookDeliverJob).
 * Rolled back with the change, nothing is sent; committed, it is delivered at least once.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly jobs: JobQueue,
  ) {}

  async publish(
    tx: TransactionClient,
    organizationId: OrganizationId,
    notifications: Notification | Notification[],
  ): Promise<number> {
    const list = [notifications].flat();
    if (list.length === 0) return 0;
    const timestamp = new Date().toISOString();
    const deliveries = await this.endpoints.createDeliveries(
      tx,
      organizationId,
      list.map(({ event, data }) => ({
        eventId: randomUUID(),
        eventType: event,
        payload: JSON.stringify({ type: event, timestamp, data }),
      })),
    );
    for (const { id } of deliveries) await this.enqueueAttempt(tx, organizationId, id);
    return deliveries.length;
  }

  enqueueAttempt(
    tx: TransactionClient,
    organizationId: OrganizationId,
    deliveryId: string,
    startAfter?: Date,
  ): Promise<string> {
    return this.jobs.enqueue(
      tx,
      WEBHOOK_DELIVER_JOB,
      { organizationId, deliveryId },
      startAfter ? { startAfter } : {},
    );
  }
}
