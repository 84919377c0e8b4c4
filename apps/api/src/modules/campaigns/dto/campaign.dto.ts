import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  IsRfc3339DateTime,
  normaliseEmailTransform,
  Optional,
  TimeRangePageQueryDto,
} from '@app/common';
import { ANSWER_STATUSES, type AnswerStatus } from '../../assessments/dto/assessment.dto';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'open', 'closed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const AGGREGATION_RULES = ['majority', 'threshold', 'unanimous'] as const;
export type AggregationRuleName = (typeof AGGREGATION_RULES)[number];

// --- Requests --------------------------------------------------------------------------------

export class AggregationDto {
  @ApiProperty({
    enum: AGGREGATION_RULES,
    description:
      'majority: met when met answers outnumber not_met ones (a tie is not met); threshold: met ' +
      'when met / (met + not_met) >= threshold; unanimous: met only when nobody says not_met. ' +
      'Under every rule a criterion is not_applicable when most respondents say so.',
  })
  @IsIn(AGGREGATION_RULES)
  rule!: AggregationRuleName;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Required with (and only with) rule threshold; 0 < threshold <= 1.',
  })
  @ValidateIf((o: AggregationDto) => o.rule === 'threshold' || o.threshold !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.000001)
  @Max(1)
  threshold?: number;
}

export class ParticipantInputDto {
  @ApiProperty({ format: 'uuid', description: 'One of the campaign teams.' })
  @IsUUID()
  teamId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A member of the organization.' })
  @ValidateIf((o: ParticipantInputDto) => o.email === undefined)
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({
    example: 'grace@example.com',
    description: 'Someone without an account: answers through a personal, expiring link.',
  })
  @ValidateIf((o: ParticipantInputDto) => o.userId === undefined)
  @Transform(normaliseEmailTransform)
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Q4 MLOps self-assessment' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ format: 'uuid', description: 'A published model version.' })
  @IsUUID()
  modelVersionId!: string;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID(undefined, { each: true })
  teamIds!: string[];

  @ApiPropertyOptional({
    type: [ParticipantInputDto],
    description:
      "Default: the teams' members (a member of several campaign teams answers for the first " +
      'listed). One response per person per campaign.',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20000)
  @ValidateNested({ each: true })
  @Type(() => ParticipantInputDto)
  participants?: ParticipantInputDto[];

  @ApiProperty({ format: 'date-time' })
  @IsRfc3339DateTime()
  opensAt!: string;

  @ApiProperty({ format: 'date-time', description: 'After opensAt.' })
  @IsRfc3339DateTime()
  closesAt!: string;

  @ApiProperty({ type: AggregationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AggregationDto)
  aggregation!: AggregationDto;

  @ApiProperty({ description: 'Never reveal who answered what (results, audit, logs).' })
  @IsBoolean()
  anonymous!: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: 3,
    description: 'A team with fewer submitted responses shows only its response count.',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  minRespondents?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    description: 'Remind those who have not submitted, every so many hours while open.',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(720)
  reminderEveryHours?: number;
}

export class CampaignListQueryDto extends TimeRangePageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @Optional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}

export class ResponseAnswerInputDto {
  @ApiProperty({ example: 'testing.unit_tests_on_pr' })
  @IsString()
  @Length(1, 200)
  criterionKey!: string;

  @ApiProperty({ enum: ANSWER_STATUSES })
  @IsIn(ANSWER_STATUSES)
  status!: AnswerStatus;

  @ApiPropertyOptional({ maxLength: 4000 })
  @Optional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

/** A partial save: each listed criterion's answer is replaced; criteria not listed keep theirs. */
export class PutResponseDto {
  @ApiProperty({ type: [ResponseAnswerInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ResponseAnswerInputDto)
  answers!: ResponseAnswerInputDto[];
}

// --- Responses -------------------------------------------------------------------------------

export class AggregationOutDto {
  @ApiProperty({ enum: AGGREGATION_RULES }) rule!: AggregationRuleName;
  @ApiProperty({ nullable: true, type: Number }) threshold!: number | null;
}

export class CampaignTeamProgressDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty() participants!: number;
  @ApiProperty({ description: 'Submitted responses.' }) responses!: number;
  @ApiProperty({ description: 'responses / participants (0 with no participant).' })
  responseRate!: number;
}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) modelVersionId!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status!: CampaignStatus;
  @ApiProperty({ type: AggregationOutDto }) aggregation!: AggregationOutDto;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty() minRespondents!: number;
  @ApiProperty({ nullable: true, type: Number }) reminderEveryHours!: number | null;
  @ApiProperty({ format: 'date-time' }) opensAt!: Date;
  @ApiProperty({ format: 'date-time' }) closesAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) launchedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) openedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt!: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt!: Date | null;
  @ApiProperty({ description: 'Also the ETag header.' }) etag!: string;
  @ApiProperty({ type: [CampaignTeamProgressDto], description: 'Live response rate per team.' })
  teams!: CampaignTeamProgressDto[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdById!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignDto] }) items!: CampaignDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class QuestionDto {
  @ApiProperty() criterionKey!: string;
  @ApiProperty() dimensionKey!: string;
  @ApiProperty() level!: number;
  @ApiProperty() title!: string;
  @ApiProperty() question!: string;
  @ApiProperty() guidance!: string;
}

export class ResponseAnswerDto {
  @ApiProperty() criterionKey!: string;
  @ApiProperty({ enum: ANSWER_STATUSES }) status!: AnswerStatus;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class CampaignResponseDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty() campaignName!: string;
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) campaignStatus!: CampaignStatus;
  @ApiProperty({ format: 'date-time' }) closesAt!: Date;
  @ApiProperty({ description: 'Also the ETag header; If-Match for saves and submit.' })
  etag!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt!: Date | null;
  @ApiProperty({ type: [ResponseAnswerDto] }) answers!: ResponseAnswerDto[];
  @ApiProperty({ type: [QuestionDto], description: "The model version's criteria, in order." })
  questions!: QuestionDto[];
}

export class AnswerCountsDto {
  @ApiProperty() met!: number;
  @ApiProperty() not_met!: number;
  @ApiProperty() not_applicable!: number;
  @ApiProperty() unknown!: number;
}

export class AggregatedAnswerDto {
  @ApiProperty() criterionKey!: string;
  @ApiProperty({ enum: ANSWER_STATUSES }) status!: AnswerStatus;
  @ApiProperty({ type: AnswerCountsDto }) counts!: AnswerCountsDto;
  @ApiProperty({ nullable: true, type: Number }) agreement!: number | null;
}

export class AgreementDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      "Krippendorff's alpha (nominal; not_applicable and unknown are missing); null when undefined.",
  })
  alpha!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Share of agreeing answer pairs.' })
  percentAgreement!: number | null;
  @ApiProperty() pairableValues!: number;
}

export class CriterionAgreementDto {
  @ApiProperty() criterionKey!: string;
  @ApiProperty() agreement!: number;
}

export class ScoreChangeDto {
  @ApiProperty({ format: 'uuid' }) previousCampaignId!: string;
  @ApiProperty({ format: 'uuid' }) previousAssessmentId!: string;
  @ApiProperty() scoreBefore!: number;
  @ApiProperty() scoreAfter!: number;
  @ApiProperty() scoreDelta!: number;
  @ApiProperty() minimumLevelBefore!: number;
  @ApiProperty() minimumLevelAfter!: number;
}

export class TeamResultDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty() participants!: number;
  @ApiProperty() responses!: number;
  @ApiProperty() responseRate!: number;
  @ApiProperty({
    description: 'False when fewer than minRespondents responded: only the counts are shown.',
  })
  shown!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  assessmentId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({ nullable: true, type: Number }) minimumLevel!: number | null;
  @ApiProperty({ nullable: true, type: String }) band!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { type: 'object' },
    description: 'Per dimension key: level and score.',
  })
  dimensions!: Record<string, { level: number; score: number }> | null;
  @ApiProperty({ type: [AggregatedAnswerDto], nullable: true })
  answers!: AggregatedAnswerDto[] | null;
  @ApiProperty({ type: AgreementDto, nullable: true }) agreement!: AgreementDto | null;
  @ApiProperty({ type: [CriterionAgreementDto], nullable: true })
  leastAgreement!: CriterionAgreementDto[] | null;
  @ApiProperty({
    type: ScoreChangeDto,
    nullable: true,
    description: "Since the team's previous closed campaign (null when none).",
  })
  change!: ScoreChangeDto | null;
}

export class CampaignResultsDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status!: CampaignStatus;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty() minRespondents!: number;
  @ApiProperty({ type: [TeamResultDto] }) teams!: TeamResultDto[];
}

export class CampaignParticipantDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Participants without an account.' })
  email!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) notifiedAt!: Date | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why no email went out (e.g. SMTP_URL is not set).',
  })
  notificationError!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastRemindedAt!: Date | null;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'Whether they submitted; null in an anonymous campaign.',
  })
  responded!: boolean | null;
}

export class CampaignParticipantPageDto {
  @ApiProperty({ type: [CampaignParticipantDto] }) items!: CampaignParticipantDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
