import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { InOrganization } from './organization.types';
import { Page } from './page';

@ObjectType()
export class CampaignAggregation {
  @Field({ description: 'majority, threshold or unanimous' }) rule!: string;
  @Field(() => Float, { nullable: true }) threshold!: number | null;
}

@ObjectType()
export class CampaignTeamProgress {
  @Field(() => ID) teamId!: string;
  @Field(() => Int) participants!: number;
  @Field(() => Int, { description: 'Submitted responses.' }) responses!: number;
  @Field(() => Float) responseRate!: number;
}

@ObjectType()
export class Campaign implements InOrganization {
  organizationId!: string;
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => ID) modelVersionId!: string;
  @Field({ description: 'draft, scheduled, open, closed or cancelled' }) status!: string;
  @Field(() => CampaignAggregation) aggregation!: CampaignAggregation;
  @Field() anonymous!: boolean;
  @Field(() => Int) minRespondents!: number;
  @Field(() => Int, { nullable: true }) reminderEveryHours!: number | null;
  @Field() opensAt!: Date;
  @Field() closesAt!: Date;
  @Field(() => Date, { nullable: true }) launchedAt!: Date | null;
  @Field(() => Date, { nullable: true }) openedAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  @Field(() => Date, { nullable: true }) cancelledAt!: Date | null;
  @Field() etag!: string;
  @Field(() => [CampaignTeamProgress], { description: 'Live response rate per team.' })
  teams!: CampaignTeamProgress[];
  @Field(() => ID, { nullable: true }) createdById!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class CampaignPage extends Page(Campaign, 'CampaignPage') {}

@ObjectType()
export class CampaignParticipant {
  @Field(() => ID) id!: string;
  @Field(() => ID) teamId!: string;
  @Field(() => ID, { nullable: true }) userId!: string | null;
  @Field(() => String, { nullable: true, description: 'Participants without an account.' })
  email!: string | null;
  @Field(() => Date, { nullable: true }) notifiedAt!: Date | null;
  @Field(() => String, { nullable: true }) notificationError!: string | null;
  @Field(() => Date, { nullable: true }) lastRemindedAt!: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'null in an anonymous campaign.' })
  responded!: boolean | null;
}

@ObjectType()
export class CampaignParticipantPage extends Page(CampaignParticipant, 'CampaignParticipantPage') {}

@ObjectType()
export class CampaignQuestion {
  @Field() criterionKey!: string;
  @Field() dimensionKey!: string;
  @Field(() => Int) level!: number;
  @Field() title!: string;
  @Field() question!: string;
  @Field() guidance!: string;
}

@ObjectType()
export class CampaignResponseAnswer {
  @Field() criterionKey!: string;
  @Field() status!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
}

@ObjectType({ description: "The caller's own response to a campaign, with the questions." })
export class CampaignResponse {
  @Field(() => ID) campaignId!: string;
  @Field() campaignName!: string;
  @Field(() => ID) teamId!: string;
  @Field() campaignStatus!: string;
  @Field() closesAt!: Date;
  @Field({ description: 'If-Match for saves and submit (REST).' }) etag!: string;
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => [CampaignResponseAnswer]) answers!: CampaignResponseAnswer[];
  @Field(() => [CampaignQuestion]) questions!: CampaignQuestion[];
}

@ObjectType()
export class AnswerCounts {
  @Field(() => Int) met!: number;
  @Field(() => Int) not_met!: number;
  @Field(() => Int) not_applicable!: number;
  @Field(() => Int) unknown!: number;
}

@ObjectType()
export class AggregatedAnswer {
  @Field() criterionKey!: string;
  @Field() status!: string;
  @Field(() => AnswerCounts) counts!: AnswerCounts;
  @Field(() => Float, { nullable: true }) agreement!: number | null;
}

@ObjectType()
export class CampaignAgreement {
  @Field(() => Float, { nullable: true, description: "Krippendorff's alpha (nominal)." })
  alpha!: number | null;
  @Field(() => Float, { nullable: true }) percentAgreement!: number | null;
  @Field(() => Int) pairableValues!: number;
}

@ObjectType()
export class CriterionAgreement {
  @Field() criterionKey!: string;
  @Field(() => Float) agreement!: number;
}

@ObjectType()
export class CampaignScoreChange {
  @Field(() => ID) previousCampaignId!: string;
  @Field(() => ID) previousAssessmentId!: string;
  @Field(() => Float) scoreBefore!: number;
  @Field(() => Float) scoreAfter!: number;
  @Field(() => Float) scoreDelta!: number;
  @Field(() => Int) minimumLevelBefore!: number;
  @Field(() => Int) minimumLevelAfter!: number;
}

@ObjectType()
export class CampaignTeamResult {
  @Field(() => ID) teamId!: string;
  @Field(() => Int) participants!: number;
  @Field(() => Int) responses!: number;
  @Field(() => Float) responseRate!: number;
  @Field({ description: 'False under minRespondents responses: only the counts are shown.' })
  shown!: boolean;
  @Field(() => ID, { nullable: true }) assessmentId!: string | null;
  @Field(() => Float, { nullable: true }) score!: number | null;
  @Field(() => Int, { nullable: true }) minimumLevel!: number | null;
  @Field(() => String, { nullable: true }) band!: string | null;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      "`{ <dimensionKey>: { level, score } }`, REST's map as is: its keys are the model's " +
      'dimensions, which a fixed GraphQL type cannot name.',
  })
  dimensions!: Record<string, { level: number; score: number }> | null;
  @Field(() => [AggregatedAnswer], { nullable: true }) answers!: AggregatedAnswer[] | null;
  @Field(() => CampaignAgreement, { nullable: true }) agreement!: CampaignAgreement | null;
  @Field(() => [CriterionAgreement], { nullable: true })
  leastAgreement!: CriterionAgreement[] | null;
  @Field(() => CampaignScoreChange, { nullable: true }) change!: CampaignScoreChange | null;
}

@ObjectType({ description: 'Per team results of a closed campaign; never names a respondent.' })
export class CampaignResults {
  @Field(() => ID) campaignId!: string;
  @Field() status!: string;
  @Field() anonymous!: boolean;
  @Field(() => Int) minRespondents!: number;
  @Field(() => [CampaignTeamResult]) teams!: CampaignTeamResult[];
}
