import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DiscriminatedArray, Optional } from '@app/common';
import {
  CRITERION_LEVELS,
  CriterionDefinitionDto,
  DimensionDefinitionDto,
  EVIDENCE_MODES,
} from './model-definition.dto';

export const MODEL_KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DIMENSION_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
const CRITERION_KEY_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

// --- Requests --------------------------------------------------------------------------------

export class CloneModelDto {
  @ApiProperty({ example: 'Our MLOps maturity' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'A published version visible to the organization (built-in or its own).',
  })
  @IsUUID()
  fromVersionId!: string;

  @ApiPropertyOptional({
    example: 'our-mlops-maturity',
    description: 'kebab-case key of the new model; default: derived from the name.',
  })
  @Optional()
  @IsString()
  @Length(1, 80)
  @Matches(MODEL_KEY_PATTERN, { message: 'key must be kebab-case (a-z, 0-9, -)' })
  key?: string;
}

export const MODEL_OPERATIONS = [
  'add_dimension',
  'remove_dimension',
  'update_dimension',
  'add_criterion',
  'remove_criterion',
  'update_criterion',
] as const;
export type ModelOperationName = (typeof MODEL_OPERATIONS)[number];

/** Fallback for an unknown `op`: only reports that the op is not one of the known ones. */
export class ModelOperationDto {
  @ApiProperty({ enum: MODEL_OPERATIONS })
  @IsIn(MODEL_OPERATIONS)
  op!: ModelOperationName;
}

export class AddDimensionOperationDto {
  @ApiProperty({ enum: ['add_dimension'] }) @IsIn(['add_dimension']) op!: 'add_dimension';

  @ApiProperty({ type: DimensionDefinitionDto, description: 'A whole dimension with levels 1-3.' })
  @IsDefined()
  @ValidateNested()
  @Type(() => DimensionDefinitionDto)
  dimension!: DimensionDefinitionDto;
}

export class RemoveDimensionOperationDto {
  @ApiProperty({ enum: ['remove_dimension'] })
  @IsIn(['remove_dimension'])
  op!: 'remove_dimension';

  @ApiProperty({ example: 'governance' })
  @IsString()
  @Matches(DIMENSION_KEY_PATTERN)
  dimensionKey!: string;
}

export class LevelUpdateDto {
  @ApiProperty({ enum: CRITERION_LEVELS }) @IsIn(CRITERION_LEVELS) level!: 1 | 2 | 3;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(0, 2000) description?: string;
}

export class UpdateDimensionOperationDto {
  @ApiProperty({ enum: ['update_dimension'] })
  @IsIn(['update_dimension'])
  op!: 'update_dimension';

  @ApiProperty() @IsString() @Matches(DIMENSION_KEY_PATTERN) dimensionKey!: string;

  @ApiPropertyOptional({ description: 'Rename the dimension (its key never changes).' })
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional() @Optional() @IsString() @Length(0, 2000) description?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(1000)
  weight?: number;

  @ApiPropertyOptional({ type: [LevelUpdateDto], description: 'Rename or re-describe levels.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => LevelUpdateDto)
  levels?: LevelUpdateDto[];
}

export class AddCriterionOperationDto {
  @ApiProperty({ enum: ['add_criterion'] }) @IsIn(['add_criterion']) op!: 'add_criterion';

  @ApiProperty() @IsString() @Matches(DIMENSION_KEY_PATTERN) dimensionKey!: string;

  @ApiProperty({ enum: CRITERION_LEVELS }) @IsIn(CRITERION_LEVELS) level!: 1 | 2 | 3;

  @ApiProperty({ type: CriterionDefinitionDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => CriterionDefinitionDto)
  criterion!: CriterionDefinitionDto;
}

export class RemoveCriterionOperationDto {
  @ApiProperty({ enum: ['remove_criterion'] })
  @IsIn(['remove_criterion'])
  op!: 'remove_criterion';

  @ApiProperty({ example: 'testing.load_tests' })
  @IsString()
  @Matches(CRITERION_KEY_PATTERN)
  criterionKey!: string;
}

export class UpdateCriterionOperationDto {
  @ApiProperty({ enum: ['update_criterion'] })
  @IsIn(['update_criterion'])
  op!: 'update_criterion';

  @ApiProperty() @IsString() @Matches(CRITERION_KEY_PATTERN) criterionKey!: string;

  @ApiPropertyOptional({ description: 'Rename the criterion (its key never changes).' })
  @Optional()
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 2000) question?: string;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 4000) guidance?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(1000)
  weight?: number;

  @ApiPropertyOptional({ enum: EVIDENCE_MODES })
  @Optional()
  @IsIn(EVIDENCE_MODES)
  evidence?: (typeof EVIDENCE_MODES)[number];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'null removes the signal.' })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsString()
  @Length(1, 120)
  ciSignal?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: 3650,
    description: 'Days one CI result stays fresh (default 30); null returns to the default.',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  @Max(3650)
  evidenceFreshnessDays?: number | null;

  @ApiPropertyOptional({ type: [String] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  sources?: string[];

  @ApiPropertyOptional({
    enum: CRITERION_LEVELS,
    description: 'Move the criterion to another level of its dimension.',
  })
  @Optional()
  @IsIn(CRITERION_LEVELS)
  level?: 1 | 2 | 3;
}

export type AnyModelOperation =
  | AddDimensionOperationDto
  | RemoveDimensionOperationDto
  | UpdateDimensionOperationDto
  | AddCriterionOperationDto
  | RemoveCriterionOperationDto
  | UpdateCriterionOperationDto;

export const OPERATION_TYPES = [
  AddDimensionOperationDto,
  RemoveDimensionOperationDto,
  UpdateDimensionOperationDto,
  AddCriterionOperationDto,
  RemoveCriterionOperationDto,
  UpdateCriterionOperationDto,
];

/**
 * Edits of the draft, applied in order to a copy of it; the result must pass
 * validateModelDefinition or nothing is stored (422 listing every problem).
 */
export class UpdateDraftDto {
  @ApiPropertyOptional({ description: 'Rename the model (and its draft).' })
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional() @Optional() @IsString() @Length(1, 2000) description?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { oneOf: OPERATION_TYPES.map((type) => ({ $ref: getSchemaPath(type) })) },
  })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @DiscriminatedArray(
    'op',
    {
      add_dimension: AddDimensionOperationDto,
      remove_dimension: RemoveDimensionOperationDto,
      update_dimension: UpdateDimensionOperationDto,
      add_criterion: AddCriterionOperationDto,
      remove_criterion: RemoveCriterionOperationDto,
      update_criterion: UpdateCriterionOperationDto,
    },
    ModelOperationDto,
  )
  operations?: AnyModelOperation[];
}

export class ModelsPageQueryDto {
  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page.' })
  @Optional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

// --- Responses -------------------------------------------------------------------------------

export const VERSION_STATUSES = ['draft', 'published'] as const;

export class VersionSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: VERSION_STATUSES }) status!: 'draft' | 'published';
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt!: Date | null;
}

export class MaturityModelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Part of the read-only catalogue every organization sees.' })
  builtIn!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  clonedFromVersionId!: string | null;
  @ApiProperty({ type: [VersionSummaryDto], description: 'Oldest first.' })
  versions!: VersionSummaryDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The current draft's ETag (If-Match for PATCH and publish); null without a draft.",
  })
  draftEtag!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class MaturityModelPageDto {
  @ApiProperty({ type: [MaturityModelDto] }) items!: MaturityModelDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ModelVersionDto {
  @ApiProperty({ format: 'uuid', description: 'What assessments name as modelVersionId.' })
  id!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty() builtIn!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: VERSION_STATUSES }) status!: 'draft' | 'published';
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt!: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ description: 'Also sent as the ETag header; If-Match on PATCH of a draft.' })
  etag!: string;
  @ApiProperty({ description: "The model's key in this version." }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({
    type: [DimensionDefinitionDto],
    description: 'The full tree: dimensions -> levels 1..3 -> criteria.',
  })
  dimensions!: DimensionDefinitionDto[];
}

export class ModelChangeDto {
  @ApiProperty({
    enum: [
      'dimension_added',
      'dimension_removed',
      'dimension_changed',
      'criterion_added',
      'criterion_removed',
      'criterion_changed',
    ],
  })
  kind!: string;
  @ApiProperty({ description: 'Dimension key, or criterion key for criterion changes.' })
  key!: string;
  @ApiPropertyOptional({ type: [String] }) fields?: string[];
  @ApiPropertyOptional({ enum: CRITERION_LEVELS }) level?: number;
}

export class ModelVersionRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: VERSION_STATUSES }) status!: string;
}

export class ModelVersionDiffDto {
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ type: ModelVersionRefDto }) from!: ModelVersionRefDto;
  @ApiProperty({ type: ModelVersionRefDto }) to!: ModelVersionRefDto;
  @ApiProperty({ type: [ModelChangeDto], description: 'From `version` to `otherVersion`.' })
  changes!: ModelChangeDto[];
}
