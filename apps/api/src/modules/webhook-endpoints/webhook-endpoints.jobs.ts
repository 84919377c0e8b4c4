import { Logger } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { Webhook } from 'standardwebhooks';
import { systemScope } from '@app/common';
import { SecretBox, TenantTransactions } from '@app/database';
import { Job, JobContext, JobHandler } from '@app/jobs';
import { AuditTrail } from '../audit/audit-trail';
import { decide } from './delivery-policy';
import { NotificationsService, WEBHOOK_DELIVER_JOB } from './notifications.service';
import { secretContext } from './webhook-endpoints.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookSender } from './webhook-sender';

export class WebhookDeliverPayload {
  @IsUUID()
  organizationId!: string;

  @IsUUID()
  deliveryId!: string;
}

/**
 * One attempt of one delivery: sign (Standard Webhooks, `standardwebhooks`), POST, record, and
 * enqueue the next attempt on the schedule (delivery-policy.ts) in the same transaction as the
 * record. Retries are ours, not the queue's: the spec's schedule is not pg-boss's backoff.
 */
@Job({ name: WEBHOOK_DELIVER_JOB, payload: WebhookDeliverPayload, retryLimit: 3 })
export class WebhookDeliverJob implements JobHandler<WebhookDeliverPayload> {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly notifications: NotificationsService,
    private readonly sender: WebhookSender,
    private readonly box: SecretBox,
    private readonly audit: AuditTrail,
  ) {}

  async handle({ organizationId, deliveryId }: WebhookDeliverPayload, job: JobContext) {
    const scope = systemScope(organizationId, job.name, { jobId: job.id });
    const work = await this.transactions.run(scope, async (tx) => {
      const delivery = await this.endpoints.delivery(tx, scope.organizationId, deliveryId);
      if (!delivery || delivery.status !== 'pending') return undefined;
      const endpoint = await this.endpoints.findForDelivery(
        tx,
        scope.organizationId,
        delivery.endpointId,
      );
      if (!endpoint) return undefined;
      return { delivery, endpoint };
    });
    if (!work) return;
    const { delivery, endpoint } = work;
    const attempt = delivery.attempts + 1;
    const at = new Date();
    const result = endpoint.enabled
      ? await this.send(endpoint, delivery, at)
      : ({ kind: 'refused', message: 'the endpoint is disabled' } as const);
    const decision = decide(attempt, result, new Date());
    await this.transactions.run(scope, async (tx) => {
      const recorded = await this.endpoints.recordAttempt(
        tx,
        scope.organizationId,
        deliveryId,
        delivery.attempts,
        {
          status: decision.status,
          nextAttemptAt: decision.status === 'pending' ? decision.nextAttemptAt : null,
          lastAttemptAt: at,
          responseStatus: result.kind === 'response' ? result.status : null,
          lastError: decision.status === 'succeeded' ? null : decision.error,
        },
      );
      if (!recorded) return;
      if (decision.status === 'pending') {
        await this.notifications.enqueueAttempt(
          tx,
          scope.organizationId,
          deliveryId,
          decision.nextAttemptAt,
        );
      }
      if (decision.status === 'failed' && decision.disableEndpoint) {
        await this.endpoints.update(tx, scope.organizationId, endpoint.id, {
          enabled: false,
          disabledReason: decision.disableEndpoint,
        });
        await this.audit.record(tx, scope, {
          action: 'webhook_endpoint.disabled',
          entityType: 'webhook_endpoint',
          entityId: endpoint.id,
          changes: { reason: decision.disableEndpoint },
        });
      }
    });
    this.logger.log(
      { deliveryId, endpointId: endpoint.id, attempt, outcome: decision.status },
      `webhook delivery attempt ${attempt}: ${decision.status}`,
    );
  }

  private send(
    endpoint: { id: string; url: string; secretSealed: string },
    delivery: { eventId: string; payload: unknown },
    at: Date,
  ) {
    const secret = this.box.open(endpoint.secretSealed, secretContext(endpoint.id));
    const body = JSON.stringify(delivery.payload);
    const messageId = `msg_${delivery.eventId}`;
    return this.sender.post(
      endpoint.url,
      {
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(messageId, at, body),
      },
      body,
    );
  }
}
