import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { TimeRangePageQueryDto, Optional } from '@app/common';

export const ANSWER_STATUSES = ['met', 'not_met', 'not_applicable', 'unknown'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];
export const ASSESSMENT_STATUSES = ['draft', 'submitted'] as const;

// --- Requests --------------------------------------------------------------------------------

export class CreateAssessmentDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A published model version visible to the organization (built-in or own).',
  })
  @IsUUID()
  modelVersionId!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, maximum: 3 },
    example: { testing: 2, monitoring: 2 },
    description:
      'Target level per dimension key (0..3); gaps are computed up to it. Default per ' +
      'dimension: the level it reaches + 1, capped at 3. Unknown keys and levels outside 0..3 -> 422.',
  })
  @Optional()
  @IsObject()
  targetLevels?: Record<string, unknown>;
}

export class AnswerInputDto {
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

  @ApiPropertyOptional({ format: 'uri', example: 'https://ci.example.com/runs/42' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  evidenceUrl?: string;
}

/**
 * Upserts answers: each listed criterion's answer is replaced as a whole (an omitted note or
 * evidenceUrl clears it); criteria not listed keep theirs.
 */
export class PutAnswersDto {
  @ApiProperty({ type: [AnswerInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AnswerInputDto)
  answers!: AnswerInputDto[];
}

export class AssessmentHistoryQueryDto extends TimeRangePageQueryDto {
  @ApiPropertyOptional({ enum: ASSESSMENT_STATUSES })
  @Optional()
  @IsIn(ASSESSMENT_STATUSES)
  status?: (typeof ASSESSMENT_STATUSES)[number];
}

export class AssessmentDiffQueryDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The earlier (baseline) assessment of the same team; both must be submitted.',
  })
  @IsUUID()
  against!: string;
}

// --- Responses -------------------------------------------------------------------------------

export class AnswerDto {
  @ApiProperty() criterionKey!: string;
  @ApiProperty({ enum: ANSWER_STATUSES }) status!: AnswerStatus;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ nullable: true, type: String }) evidenceUrl!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) answeredById!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class DimensionResultDto {
  @ApiProperty() dimensionKey!: string;
  @ApiProperty() name!: string;
  @ApiProperty() weight!: number;
  @ApiProperty({ description: 'Gated level 0..3.' }) level!: number;
  @ApiProperty({ description: 'level + weighted fraction of the next level met; 0..3.' })
  score!: number;
  @ApiProperty() targetLevel!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  counts!: Record<string, number>;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Unmet criteria.' })
  gaps!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) recommendations!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) criteria!: object[];
}

/** The scoring library's AssessmentResult (libs/scoring/src/types.ts), stored at submit. */
export class AssessmentResultDto {
  @ApiProperty() modelKey!: string;
  @ApiProperty() modelVersion!: number;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ description: 'Dimension-weighted mean score, 0..3.' }) score!: number;
  @ApiProperty({ description: "The weakest dimension's level." }) minimumLevel!: number;
  @ApiProperty({ enum: ['manual', 'pipeline automation', 'CI/CD for ML', 'full automation'] })
  band!: string;
  @ApiProperty({ type: [DimensionResultDto] }) dimensions!: DimensionResultDto[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) conflicts!: object[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Traces every number to the answers and evidence that produced it.',
  })
  explanation!: object[];
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ format: 'uuid' }) modelVersionId!: string;
  @ApiProperty() modelVersion!: number;
  @ApiProperty({ enum: ASSESSMENT_STATUSES }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  targetLevels!: Record<string, number>;
  @ApiProperty({ description: 'Also the ETag header; If-Match for answers, submit, delete.' })
  etag!: string;
  @ApiProperty({ type: [AnswerDto], description: 'By criterion key.' }) answers!: AnswerDto[];
  @ApiProperty({ type: AssessmentResultDto, nullable: true, description: 'Set at submit.' })
  result!: AssessmentResultDto | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdById!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt!: Date | null;
  @ApiProperty({
    enum: ['assessor', 'campaign'],
    description: "An assessor's answers, or a campaign's aggregated responses.",
  })
  source!: 'assessor' | 'campaign';
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'When source is campaign.',
  })
  campaignId!: string | null;
}

export class AssessmentSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ format: 'uuid' }) modelVersionId!: string;
  @ApiProperty({ enum: ASSESSMENT_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({ nullable: true, type: Number }) minimumLevel!: number | null;
  @ApiProperty({ nullable: true, type: String }) band!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt!: Date | null;
  @ApiProperty({
    enum: ['assessor', 'campaign'],
    description: "An assessor's answers, or a campaign's aggregated responses.",
  })
  source!: 'assessor' | 'campaign';
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'When source is campaign.',
  })
  campaignId!: string | null;
}

export class AssessmentPageDto {
  @ApiProperty({ type: [AssessmentSummaryDto] }) items!: AssessmentSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class CriterionStatusChangeDto {
  @ApiProperty() criterionKey!: string;
  @ApiProperty() dimensionKey!: string;
  @ApiProperty() level!: number;
  @ApiProperty({ enum: ANSWER_STATUSES, nullable: true }) statusBefore!: string | null;
  @ApiProperty({ enum: ANSWER_STATUSES, nullable: true }) statusAfter!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceBefore!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceAfter!: string | null;
}

export class DimensionScoreChangeDto {
  @ApiProperty() dimensionKey!: string;
  @ApiProperty({ nullable: true, type: Number }) scoreBefore!: number | null;
  @ApiProperty({ nullable: true, type: Number }) scoreAfter!: number | null;
  @ApiProperty({ nullable: true, type: Number }) levelBefore!: number | null;
  @ApiProperty({ nullable: true, type: Number }) levelAfter!: number | null;
  @ApiProperty({ type: [String], description: 'Why the score moved.' }) reasons!: string[];
}

export class AssessmentDiffDto {
  @ApiProperty({ format: 'uuid', description: 'The later assessment (after).' })
  assessmentId!: string;
  @ApiProperty({ format: 'uuid', description: 'The baseline (before).' }) againstId!: string;
  @ApiProperty() scoreBefore!: number;
  @ApiProperty() scoreAfter!: number;
  @ApiProperty() minimumLevelBefore!: number;
  @ApiProperty() minimumLevelAfter!: number;
  @ApiProperty({ type: [CriterionStatusChangeDto] }) criteria!: CriterionStatusChangeDto[];
  @ApiProperty({ type: [DimensionScoreChangeDto] }) dimensions!: DimensionScoreChangeDto[];
}
