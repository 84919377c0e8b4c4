import { ApiProperty } from '@nestjs/swagger';

export const SCORE_CAUSES = ['assessment', 'campaign', 'evidence', 'expiry'] as const;
export const PROVENANCES = ['answer', 'ci', 'conflict', 'expired', 'none'] as const;
export type Provenance = (typeof PROVENANCES)[number];

export class UsedEvidenceDto {
  @ApiProperty() passed!: boolean;
  @ApiProperty({ format: 'date-time' }) observedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceUrl!: string | null;
}

export class CriterionProvenanceDto {
  @ApiProperty({ example: 'testing.data_validation' }) criterionKey!: string;
  @ApiProperty() dimensionKey!: string;
  @ApiProperty({ minimum: 1, maximum: 3 }) level!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['met', 'not_met', 'not_applicable', 'unknown'] }) status!: string;
  @ApiProperty({
    enum: ['met', 'not_met', 'not_applicable', 'unknown'],
    description: "The latest submitted assessment's answer ('unknown' when none).",
  })
  answerStatus!: string;
  @ApiProperty({
    enum: PROVENANCES,
    description:
      '`ci`: fresh CI evidence decided; `conflict`: fresh failing evidence contradicts a `met` ' +
      '(or n.a.) answer, so it does not count as met; `expired`: CI evidence existed but went ' +
      'stale, the answer decides again; `answer`: the answer decides; `none`: neither.',
  })
  provenance!: Provenance;
  @ApiProperty({ type: UsedEvidenceDto, nullable: true, description: 'The deciding CI result.' })
  evidence!: UsedEvidenceDto | null;
}

export class DimensionScoreDto {
  @ApiProperty() dimensionKey!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ minimum: 0, maximum: 3 }) level!: number;
  @ApiProperty({ description: '0..3' }) score!: number;
  @ApiProperty({ minimum: 0, maximum: 3 }) targetLevel!: number;
}

export class ScoreChangeDto {
  @ApiProperty({ enum: SCORE_CAUSES }) cause!: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The assessment, the webhook delivery or evidence batch, or the stale evidence.',
  })
  causeId!: string;
  @ApiProperty({ format: 'date-time' }) at!: Date;
}

export class TeamScoreDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ format: 'uuid' }) modelVersionId!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The latest submitted assessment; null: CI evidence alone, on the default model.',
  })
  assessmentId!: string | null;
  @ApiProperty({
    format: 'date-time',
    description: 'The instant evidence freshness was judged at.',
  })
  asOf!: string;
  @ApiProperty({ description: '0..3' }) score!: number;
  @ApiProperty({ minimum: 0, maximum: 3 }) minimumLevel!: number;
  @ApiProperty() band!: string;
  @ApiProperty({ type: [DimensionScoreDto] }) dimensions!: DimensionScoreDto[];
  @ApiProperty({ type: [CriterionProvenanceDto] }) criteria!: CriterionProvenanceDto[];
  @ApiProperty({ description: 'Criteria whose met answer fresh failing CI evidence contradicts.' })
  conflictCount!: number;
  @ApiProperty({ type: ScoreChangeDto, description: 'What changed the score last.' })
  lastChange!: ScoreChangeDto;
}
