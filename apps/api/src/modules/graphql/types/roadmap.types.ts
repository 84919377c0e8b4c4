import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { InOrganization } from './organization.types';
import { Page } from './page';

@ObjectType()
export class RoadmapItemEvent {
  @Field(() => ID) id!: string;
  @Field({ description: 'created, user, assessment, evidence, expiry or campaign' })
  cause!: string;
  @Field(() => ID, { nullable: true }) causeId!: string | null;
  @Field(() => String, { nullable: true }) fromStatus!: string | null;
  @Field() toStatus!: string;
  @Field(() => GraphQLJSON, {
    description: 'The changed fields, before and after: which ones depends on the change.',
  })
  changes!: Record<string, unknown>;
  @Field() createdAt!: Date;
}

@ObjectType()
export class RoadmapItem {
  @Field(() => ID) id!: string;
  @Field(() => ID) roadmapId!: string;
  @Field(() => Int, { description: '0-based place in the roadmap.' }) position!: number;
  @Field() dimensionKey!: string;
  @Field() criterionKey!: string;
  @Field(() => Int) level!: number;
  @Field(() => Float) weight!: number;
  @Field() title!: string;
  @Field() why!: string;
  @Field(() => String, { nullable: true }) ciSignal!: string | null;
  @Field() phase!: string;
  @Field({ description: 'todo, in_progress, done or dropped' }) status!: string;
  @Field() autoClosed!: boolean;
  @Field(() => ID, { nullable: true }) ownerUserId!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) dueOn!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field() etag!: string;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class RoadmapItemWithHistory extends RoadmapItem {
  @Field(() => [RoadmapItemEvent], { description: 'Oldest first.' }) history!: RoadmapItemEvent[];
}

@ObjectType()
export class RoadmapProgress {
  @Field(() => Int) total!: number;
  @Field(() => Int) todo!: number;
  @Field(() => Int) inProgress!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int) dropped!: number;
  @Field(() => Float, { description: 'done / (total - dropped), 0..1.' }) fraction!: number;
}

@ObjectType()
export class RoadmapPhaseProgress extends RoadmapProgress {
  @Field() phase!: string;
}

@ObjectType()
export class RoadmapSummary {
  @Field(() => ID) id!: string;
  @Field(() => ID) teamId!: string;
  @Field({ description: 'active or archived' }) status!: string;
  @Field(() => ID) modelVersionId!: string;
  @Field(() => ID, { nullable: true }) fromAssessmentId!: string | null;
  @Field(() => GraphQLJSON, {
    description:
      "`{ <dimensionKey>: level }`, as REST: its keys are the model's dimensions, which a " +
      'fixed GraphQL type cannot name.',
  })
  targetLevels!: Record<string, number>;
  @Field({ description: 'YYYY-MM-DD' }) startsOn!: string;
  @Field(() => Int) horizonMonths!: number;
  @Field(() => ID, { nullable: true }) createdById!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) archivedAt!: Date | null;
}

@ObjectType()
export class RoadmapSummaryPage extends Page(RoadmapSummary, 'RoadmapSummaryPage') {}

@ObjectType({ description: 'A roadmap with its items and progress per phase and overall.' })
export class Roadmap extends RoadmapSummary implements InOrganization {
  organizationId!: string;
  @Field(() => RoadmapProgress) progress!: RoadmapProgress;
  @Field(() => [RoadmapPhaseProgress]) phases!: RoadmapPhaseProgress[];
  @Field(() => [RoadmapItem], { description: 'In roadmap order.' }) items!: RoadmapItem[];
}
