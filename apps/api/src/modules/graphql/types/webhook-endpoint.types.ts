import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { InOrganization } from './organization.types';
import { Page } from './page';

@ObjectType({ description: 'An outbound webhook endpoint (never its secret).' })
export class WebhookEndpoint implements InOrganization {
  organizationId!: string;
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field() description!: string;
  @Field(() => [String]) events!: string[];
  @Field() enabled!: boolean;
  @Field(() => String, { nullable: true }) disabledReason!: string | null;
  @Field(() => ID, { nullable: true }) createdById!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class WebhookEndpointPage extends Page(WebhookEndpoint, 'WebhookEndpointPage') {}

@ObjectType()
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The webhook-id header is msg_<eventId>.' }) eventId!: string;
  @Field() eventType!: string;
  @Field() status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Date, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true }) responseStatus!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => GraphQLJSON, {
    description: "The body sent, as is: its shape is the event type's (see the README).",
  })
  payload!: Record<string, unknown>;
  @Field() createdAt!: Date;
}

@ObjectType()
export class WebhookDeliveryPage extends Page(WebhookDelivery, 'WebhookDeliveryPage') {}
