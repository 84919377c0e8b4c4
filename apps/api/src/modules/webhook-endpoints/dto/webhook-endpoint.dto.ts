import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { Optional, TimeRangePageQueryDto } from '@app/common';

export const NOTIFICATION_EVENTS = [
  'campaign.opened',
  'campaign.reminder',
  'campaign.closed',
  'assessment.submitted',
  'team.level_changed',
  'roadmap.item_closed',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

const URL_RULES = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class CreateWebhookEndpointDto {
  @ApiProperty({
    format: 'uri',
    example: 'https://hooks.example.com/mlops',
    description:
      'Checked again at every delivery, after DNS resolution: loopback, private, link-local and ' +
      'metadata addresses are refused (unless WEBHOOK_ALLOW_PRIVATE=true).',
  })
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULES)
  url!: string;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_EVENTS.length)
  @IsIn(NOTIFICATION_EVENTS, { each: true })
  events!: NotificationEvent[];

  @ApiProperty({ maxLength: 500, example: 'Slack relay' })
  @IsString()
  @MaxLength(500)
  description!: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ format: 'uri' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULES)
  url?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_EVENTS, isArray: true })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_EVENTS.length)
  @IsIn(NOTIFICATION_EVENTS, { each: true })
  events?: NotificationEvent[];

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'true re-enables an endpoint a 410 disabled.' })
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

export class DeliveryListQueryDto extends TimeRangePageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @Optional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uri' }) url!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true }) events!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ nullable: true, type: String }) disabledReason!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdById!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class WebhookEndpointWithSecretDto extends WebhookEndpointDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks). Shown only now; store it.',
  })
  secret!: string;
}

export class WebhookEndpointPageDto {
  @ApiProperty({ type: [WebhookEndpointDto] }) items!: WebhookEndpointDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The webhook-id header is msg_<eventId>.' })
  eventId!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS }) eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextAttemptAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number }) responseStatus!: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body sent.' })
  payload!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
