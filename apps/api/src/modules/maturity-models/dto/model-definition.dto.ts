import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsPositive,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Optional } from '@app/common';

/**
 * The tree of a model version, as stored and served: dimensions -> levels 1..3 -> criteria. The
 * same classes validate the shapes of new dimensions and criteria in PATCH operations; the rules
 * that span the tree (unique keys, levels 1-3 present, key prefixes, CI signals) are checked by
 * validateModelDefinition from libs/maturity-model on the whole result.
 */
export const EVIDENCE_MODES = ['ci', 'human', 'both'] as const;
export const CRITERION_LEVELS = [1, 2, 3] as const;

export class CriterionDefinitionDto {
  @ApiProperty({ example: 'testing.data_validation', description: '`<dimension key>.<name>`' })
  @IsString()
  @Length(1, 120)
  key!: string;

  @ApiProperty() @IsString() @Length(1, 300) title!: string;

  @ApiProperty({ description: 'The question as asked to an engineer.' })
  @IsString()
  @Length(1, 2000)
  question!: string;

  @ApiProperty({ description: 'What "met" looks like.' })
  @IsString()
  @Length(1, 4000)
  guidance!: string;

  @ApiProperty({ description: 'Relative weight within its level (> 0).', example: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(1000)
  weight!: number;

  @ApiProperty({ enum: EVIDENCE_MODES })
  @IsIn(EVIDENCE_MODES)
  evidence!: (typeof EVIDENCE_MODES)[number];

  @ApiPropertyOptional({
    example: 'mlops:data-validation',
    description: 'CI check/job name that proves it (required for evidence ci/both).',
  })
  @Optional()
  @IsString()
  @Length(1, 120)
  ciSignal?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    description: 'Days one CI result stays fresh for this criterion (default 30).',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(3650)
  evidenceFreshnessDays?: number;

  @ApiProperty({ type: [String], example: ['ML Test Score Data 1'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  sources!: string[];
}

export class LevelDefinitionDto {
  @ApiProperty({ enum: CRITERION_LEVELS })
  @IsIn(CRITERION_LEVELS)
  level!: 1 | 2 | 3;

  @ApiProperty() @IsString() @Length(1, 200) name!: string;

  @ApiProperty() @IsString() @Length(0, 2000) description!: string;

  @ApiProperty({ type: [CriterionDefinitionDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CriterionDefinitionDto)
  criteria!: CriterionDefinitionDto[];
}

export class DimensionDefinitionDto {
  @ApiProperty({ example: 'testing', description: 'snake_case, unique in the model.' })
  @IsString()
  @Length(1, 80)
  key!: string;

  @ApiProperty() @IsString() @Length(1, 200) name!: string;

  @ApiProperty() @IsString() @Length(0, 2000) description!: string;

  @ApiProperty({ description: 'Weight in the overall score (> 0).', example: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(1000)
  weight!: number;

  @ApiProperty({ type: [LevelDefinitionDto], description: 'Exactly levels 1, 2 and 3.' })
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => LevelDefinitionDto)
  levels!: LevelDefinitionDto[];
}
