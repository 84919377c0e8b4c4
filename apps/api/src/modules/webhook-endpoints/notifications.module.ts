import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

/** NotificationsService.publish for every feature that emits events (no HTTP, no jobs). */
@Module({
  providers: [WebhookEndpointsRepository, NotificationsService],
  exports: [WebhookEndpointsRepository, NotificationsService],
})
export class NotificationsModule {}
