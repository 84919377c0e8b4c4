import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { InOrganization } from './organization.types';
import { Page } from './page';

@ObjectType()
export class RepositoryMapping {
  @Field() pattern!: string;
  @Field(() => ID) teamId!: string;
}

@ObjectType()
export class MappingRule {
  @Field() match!: string;
  @Field() criterionKey!: string;
  @Field(() => String, { nullable: true }) repository?: string;
  @Field(() => String, { nullable: true }) branch?: string;
}

@ObjectType()
export class Integration implements InOrganization {
  organizationId!: string;
  @Field(() => ID) id!: string;
  @Field() kind!: string;
  @Field() name!: string;
  @Field(() => ID, { nullable: true }) teamId!: string | null;
  @Field(() => [RepositoryMapping]) repositories!: RepositoryMapping[];
  @Field(() => [MappingRule]) rules!: MappingRule[];
  @Field(() => [String]) branches!: string[];
  @Field() ingestUrl!: string;
  @Field(() => Date, { nullable: true }) previousSecretExpiresAt!: Date | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class IntegrationPage extends Page(Integration, 'IntegrationPage') {}

@ObjectType()
export class Delivery {
  @Field(() => ID) id!: string;
  @Field(() => ID) integrationId!: string;
  @Field() provider!: string;
  @Field(() => String, { nullable: true }) event!: string | null;
  @Field() providerDeliveryId!: string;
  @Field() status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field() receivedAt!: Date;
  @Field(() => Date, { nullable: true }) processedAt!: Date | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Only on `delivery(id:)`.' })
  headers?: Record<string, string>;
  @Field(() => String, { nullable: true, description: 'Only on `delivery(id:)`.' })
  body?: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Only on `delivery(id:)`.' })
  outcome?: Record<string, unknown> | null;
}

@ObjectType()
export class DeliveryPage extends Page(Delivery, 'DeliveryPage') {}
