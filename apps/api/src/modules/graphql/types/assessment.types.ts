import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { InOrganization } from './organization.types';
import { Page } from './page';

@ObjectType()
export class Answer {
  @Field() criterionKey!: string;
  @Field() status!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true }) evidenceUrl!: string | null;
  @Field(() => ID, { nullable: true }) answeredById!: string | null;
  @Field() updatedAt!: Date;
}

@ObjectType({ description: 'An unmet criterion of a dimension, up to its target level.' })
export class Gap {
  @Field() key!: string;
  @Field(() => Int) level!: number;
  @Field() title!: string;
  @Field() question!: string;
  @Field() guidance!: string;
  @Field(() => Float) weight!: number;
  @Field() status!: string;
  @Field() conflict!: boolean;
  @Field() evidenceMode!: string;
  @Field(() => String, { nullable: true }) ciSignal!: string | null;
}

@ObjectType()
export class DimensionResult {
  @Field() dimensionKey!: string;
  @Field() name!: string;
  @Field(() => Float) weight!: number;
  @Field(() => Int, { description: 'Gated level 0..3.' }) level!: number;
  @Field(() => Float) score!: number;
  @Field(() => Int) targetLevel!: number;
  @Field(() => GraphQLJSON) counts!: Record<string, number>;
  @Field(() => [Gap]) gaps!: Gap[];
  @Field(() => GraphQLJSON) recommendations!: object[];
  @Field(() => GraphQLJSON) criteria!: object[];
}

@ObjectType({ description: 'The frozen scoring result (libs/scoring AssessmentResult).' })
export class AssessmentResult {
  @Field() modelKey!: string;
  @Field(() => Int) modelVersion!: number;
  @Field() asOf!: string;
  @Field(() => Float) score!: number;
  @Field(() => Int) minimumLevel!: number;
  @Field() band!: string;
  @Field(() => [DimensionResult]) dimensions!: DimensionResult[];
  @Field(() => GraphQLJSON) conflicts!: object[];
  @Field(() => GraphQLJSON, {
    description: 'Traces every number to the answers and evidence that produced it.',
  })
  explanation!: object[];
}

@ObjectType()
export class Assessment implements InOrganization {
  organizationId!: string;
  @Field(() => ID) id!: string;
  @Field(() => ID) teamId!: string;
  @Field(() => ID) modelId!: string;
  @Field(() => ID) modelVersionId!: string;
  @Field(() => Int) modelVersion!: number;
  @Field() status!: string;
  @Field(() => GraphQLJSON) targetLevels!: Record<string, number>;
  @Field() etag!: string;
  @Field(() => [Answer]) answers!: Answer[];
  @Field(() => AssessmentResult, { nullable: true }) result!: AssessmentResult | null;
  @Field(() => ID, { nullable: true }) createdById!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
}

@ObjectType()
export class AssessmentSummary implements InOrganization {
  organizationId!: string;
  @Field(() => ID) id!: string;
  @Field(() => ID) teamId!: string;
  @Field(() => ID) modelVersionId!: string;
  @Field() status!: string;
  @Field(() => Float, { nullable: true }) score!: number | null;
  @Field(() => Int, { nullable: true }) minimumLevel!: number | null;
  @Field(() => String, { nullable: true }) band!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
}

@ObjectType()
export class AssessmentPage extends Page(AssessmentSummary, 'AssessmentPage') {}
