import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { InOrganization } from './organization.types';
import { Page } from './page';

@ObjectType()
export class VersionSummary {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field() status!: string;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
}

@ObjectType()
export class MaturityModel implements InOrganization {
  organizationId!: string;
  @Field(() => ID) id!: string;
  @Field() key!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field({ description: 'Part of the read-only catalogue every organization sees.' })
  builtIn!: boolean;
  @Field(() => ID, { nullable: true }) clonedFromVersionId!: string | null;
  @Field(() => [VersionSummary], { description: 'Oldest first.' }) versions!: VersionSummary[];
  @Field(() => String, { nullable: true }) draftEtag!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class MaturityModelPage extends Page(MaturityModel, 'MaturityModelPage') {}

@ObjectType()
export class ModelVersion {
  @Field(() => ID, { description: 'What assessments name as modelVersionId.' }) id!: string;
  @Field(() => ID) modelId!: string;
  @Field() builtIn!: boolean;
  @Field(() => Int) version!: number;
  @Field() status!: string;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
  @Field() createdAt!: Date;
  @Field() etag!: string;
  @Field() key!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => GraphQLJSON, { description: 'Dimensions, levels and criteria.' })
  dimensions!: object[];
}
