import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { InOrganization } from './organization.types';
import { Page } from './page';

@ObjectType()
export class Team implements InOrganization {
  organizationId!: string;
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() slug!: string;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class TeamPage extends Page(Team, 'TeamPage') {}

@ObjectType()
export class TeamMember {
  @Field(() => ID) userId!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field({ description: 'lead or member' }) role!: string;
  @Field() createdAt!: Date;
}

@ObjectType()
export class ProgressPoint {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'null: the overall figure.' })
  dimensionKey!: string | null;
  @Field(() => Int) level!: number;
  @Field(() => Float, { description: '0..3' }) score!: number;
  @Field(() => ID) modelVersionId!: string;
  @Field() cause!: string;
  @Field(() => ID) causeId!: string;
  @Field() recordedAt!: Date;
}

@ObjectType({ description: "A team's score history, oldest first (REST: GET .../progress)." })
export class ProgressSeries {
  @Field(() => ID) teamId!: string;
  @Field(() => [ProgressPoint]) items!: ProgressPoint[];
  @Field(() => String, { nullable: true }) nextCursor!: string | null;
}

@ObjectType()
export class UsedEvidence {
  @Field() passed!: boolean;
  @Field() observedAt!: string;
  @Field(() => String, { nullable: true }) expiresAt!: string | null;
  @Field(() => String, { nullable: true }) sourceUrl!: string | null;
}

@ObjectType()
export class CriterionProvenance {
  @Field() criterionKey!: string;
  @Field() dimensionKey!: string;
  @Field(() => Int) level!: number;
  @Field() title!: string;
  @Field() status!: string;
  @Field() answerStatus!: string;
  @Field({ description: 'answer, ci, conflict, expired or none' }) provenance!: string;
  @Field(() => UsedEvidence, { nullable: true }) evidence!: UsedEvidence | null;
}

@ObjectType()
export class DimensionScore {
  @Field() dimensionKey!: string;
  @Field() name!: string;
  @Field(() => Int) level!: number;
  @Field(() => Float) score!: number;
  @Field(() => Int) targetLevel!: number;
}

@ObjectType()
export class ScoreChange {
  @Field() cause!: string;
  @Field(() => ID) causeId!: string;
  @Field() at!: Date;
}

@ObjectType({ description: "A team's current score (REST: GET .../teams/{teamId}/score)." })
export class TeamScore {
  @Field(() => ID) teamId!: string;
  @Field(() => ID) modelVersionId!: string;
  @Field(() => ID, { nullable: true }) assessmentId!: string | null;
  @Field() asOf!: string;
  @Field(() => Float) score!: number;
  @Field(() => Int) minimumLevel!: number;
  @Field() band!: string;
  @Field(() => [DimensionScore]) dimensions!: DimensionScore[];
  @Field(() => [CriterionProvenance]) criteria!: CriterionProvenance[];
  @Field(() => Int) conflictCount!: number;
  @Field(() => ScoreChange) lastChange!: ScoreChange;
}

@ObjectType()
export class CiRun {
  @Field() provider!: string;
  @Field(() => String, { nullable: true }) repository?: string | null;
  @Field(() => String, { nullable: true }) ref?: string | null;
  @Field(() => String, { nullable: true }) runId?: string | null;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) conclusion?: string | null;
  @Field(() => String, { nullable: true }) matchedBy?: string;
}

@ObjectType()
export class Evidence {
  @Field(() => ID) id!: string;
  @Field(() => ID) teamId!: string;
  @Field() criterionKey!: string;
  @Field() passed!: boolean;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true }) commitSha!: string | null;
  @Field() observedAt!: Date;
  @Field() expiresAt!: Date;
  @Field() fresh!: boolean;
  @Field() source!: string;
  @Field(() => ID) batchId!: string;
  @Field(() => ID, { nullable: true }) deliveryId!: string | null;
  @Field(() => CiRun, { nullable: true }) run!: CiRun | null;
  @Field() createdAt!: Date;
}

@ObjectType()
export class EvidencePage extends Page(Evidence, 'EvidencePage') {}
