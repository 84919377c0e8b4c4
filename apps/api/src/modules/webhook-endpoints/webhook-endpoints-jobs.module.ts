import { Module } from '@nestjs/common';
import { NotificationsModule } from './notifications.module';
import { WebhookDeliverJob } from './webhook-endpoints.jobs';
import { WebhookSender } from './webhook-sender';

/** The webhook delivery job (worker and API alike). */
@Module({ imports: [NotificationsModule], providers: [WebhookSender, WebhookDeliverJob] })
export class WebhookEndpointsJobsModule {}
