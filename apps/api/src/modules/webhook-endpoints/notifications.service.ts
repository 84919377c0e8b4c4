import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OrganizationId, TransactionClient, toStoredJson } from '@app/database';
import { JobQueue } from '@app/jobs';
import type { NotificationEvent } from './dto/webhook-endpoint.dto';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

export const WEBHOOK_DELIVER_JOB = 'webhooks.deliver';

/**
 * The one way an event leaves the service: `publish` inside the transaction of the change it
 * reports (the outbox). For each enabled endpoint of the organization subscribed to the event it
 * stores a delivery (the body to send, Standard Webhooks' `{type, timestamp, data}`) and enqueues
 * its first attempt; the worker sends it (WebhookDeliverJob). Rolled back with the change, nothing
 * is sent; committed, it is delivered at least once.
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
    event: NotificationEvent,
    data: Record<string, unknown>,
  ): Promise<number> {
    const subscribers = await this.endpoints.subscribers(tx, organizationId, event);
    if (subscribers.length === 0) return 0;
    const eventId = randomUUID();
    const payload = toStoredJson({ type: event, timestamp: new Date().toISOString(), data });
    for (const endpoint of subscribers) {
      const delivery = await this.endpoints.createDelivery(tx, organizationId, {
        endpointId: endpoint.id,
        eventId,
        eventType: event,
        payload,
      });
      await this.enqueueAttempt(tx, organizationId, delivery.id);
    }
    return subscribers.length;
  }

  /**
   * `team.level_changed`, from any cause (an assessment, a campaign, CI evidence): the one place
   * it is decided and published. Nothing when the level did not move or the team had none yet.
   */
  async publishLevelChange(
    tx: TransactionClient,
    organizationId: OrganizationId,
    change: {
      teamId: string;
      previousLevel: number | null;
      level: number;
      cause: 'assessment' | 'campaign' | 'evidence';
      causeId: string;
    },
  ): Promise<number> {
    if (change.previousLevel === null || change.previousLevel === change.level) return 0;
    return this.publish(tx, organizationId, 'team.level_changed', change);
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
