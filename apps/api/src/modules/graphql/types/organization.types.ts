import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Page } from './page';

/** Parents of tenant objects carry their organization, so nested fields can build a scope. */
export interface InOrganization {
  organizationId: string;
}

@ObjectType()
export class Organization {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() slug!: string;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType({ description: 'An organization the signed-in user belongs to, with their role.' })
export class Membership {
  @Field() role!: string;
  @Field(() => Organization) organization!: Organization;
}

@ObjectType({ description: 'The signed-in user.' })
export class Viewer {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() name!: string;
}

@ObjectType()
export class Member {
  @Field(() => ID) userId!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field() role!: string;
  @Field({ description: 'When the user joined.' }) createdAt!: Date;
}

@ObjectType()
export class MemberPage extends Page(Member, 'MemberPage') {}

@ObjectType()
export class Invitation {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() role!: string;
  @Field(() => String, { nullable: true }) invitedById!: string | null;
  @Field() createdAt!: Date;
  @Field() expiresAt!: Date;
}

@ObjectType()
export class InvitationPage extends Page(Invitation, 'InvitationPage') {}

@ObjectType()
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() prefix!: string;
  @Field(() => [String]) scopes!: string[];
  @Field(() => String, { nullable: true }) createdById!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
}

@ObjectType()
export class ApiKeyPage extends Page(ApiKey, 'ApiKeyPage') {}

@ObjectType()
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field() actorType!: string;
  @Field(() => String, { nullable: true }) actorId!: string | null;
  @Field() action!: string;
  @Field() entityType!: string;
  @Field(() => String, { nullable: true }) entityId!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Changed fields; secrets redacted.' })
  changes!: unknown;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field() createdAt!: Date;
}

@ObjectType()
export class AuditEventPage extends Page(AuditEvent, 'AuditEventPage') {}
