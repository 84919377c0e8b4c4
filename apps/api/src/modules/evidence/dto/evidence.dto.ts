import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsRfc3339DateTime, Optional, TimeRangePageQueryDto } from '@app/common';

export const CRITERION_KEY_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
export const MAX_PUSHED_EVIDENCE = 500;

export class EvidenceQueryDto extends TimeRangePageQueryDto {
  @ApiPropertyOptional({ example: 'testing.data_validation' })
  @Optional()
  @IsString()
  @MaxLength(200)
  @Matches(CRITERION_KEY_PATTERN, { message: 'criterionKey must look like <dimension>.<name>' })
  criterionKey?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '`true`: only evidence fresh now; `false`: only stale evidence.',
  })
  @Optional()
  @IsIn(['true', 'false'])
  fresh?: 'true' | 'false';
}

export class CiRunDto {
  @ApiProperty({ enum: ['github', 'gitlab', 'generic'] }) provider!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) repository?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) ref?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) runId?: string | null;
  @ApiPropertyOptional({ type: String }) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) conclusion?: string | null;
  @ApiPropertyOptional({ type: String, description: 'The CI signal or rule that matched.' })
  matchedBy?: string;
}

export class EvidenceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ example: 'testing.data_validation' }) criterionKey!: string;
  @ApiProperty() passed!: boolean;
  @ApiProperty({ nullable: true, type: String }) url!: string | null;
  @ApiProperty({ nullable: true, type: String }) commitSha!: string | null;
  @ApiProperty({ format: 'date-time' }) observedAt!: Date;
  @ApiProperty({ format: 'date-time', description: 'When it stops counting.' }) expiresAt!: Date;
  @ApiProperty({ description: 'Fresh at the time of this answer.' }) fresh!: boolean;
  @ApiProperty({ enum: ['webhook', 'api'] }) source!: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The webhook delivery or pushed batch that produced it (snapshots name it).',
  })
  batchId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deliveryId!: string | null;
  @ApiProperty({ type: CiRunDto, nullable: true, description: 'The CI run it came from.' })
  run!: CiRunDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class EvidencePageDto {
  @ApiProperty({ type: [EvidenceDto] }) items!: EvidenceDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class PushedEvidenceItemDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  teamId!: string;

  @ApiPropertyOptional({
    example: 'testing.data_validation',
    description: 'The criterion; or give its CI `signal` instead.',
  })
  @Optional()
  @IsString()
  @MaxLength(200)
  @Matches(CRITERION_KEY_PATTERN, { message: 'criterionKey must look like <dimension>.<name>' })
  criterionKey?: string;

  @ApiPropertyOptional({ example: 'mlops:data-validation' })
  @Optional()
  @IsString()
  @Length(1, 120)
  signal?: string;

  @ApiProperty() @IsBoolean() passed!: boolean;

  @ApiPropertyOptional({ example: 'https://ci.example.com/runs/42' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^https?:\/\/\S+$/, { message: 'url must be an http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ example: '9fceb02d0ae598e95dc970b74767f19372d61af8' })
  @Optional()
  @IsString()
  @Matches(/^[0-9a-fA-F]{7,64}$/, { message: 'commitSha must be 7-64 hex digits' })
  commitSha?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the CI result was observed (default: now); not in the future.',
  })
  @Optional()
  @IsRfc3339DateTime()
  observedAt?: string;
}

export class PushEvidenceDto {
  @ApiProperty({ type: [PushedEvidenceItemDto], minItems: 1, maxItems: MAX_PUSHED_EVIDENCE })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PUSHED_EVIDENCE)
  @ValidateNested({ each: true })
  @Type(() => PushedEvidenceItemDto)
  items!: PushedEvidenceItemDto[];
}

export class TeamRescoreDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ description: 'A level or score changed (progress snapshots were appended).' })
  changed!: boolean;
  @ApiProperty({ description: 'The current overall score, 0..3.' }) score!: number;
  @ApiProperty({ minimum: 0, maximum: 3 }) minimumLevel!: number;
}

export class PushedEvidenceDto {
  @ApiProperty({ format: 'uuid', description: 'Names this batch in progress snapshots.' })
  batchId!: string;
  @ApiProperty({ type: [EvidenceDto] }) evidence!: EvidenceDto[];
  @ApiProperty({ type: [TeamRescoreDto] }) teams!: TeamRescoreDto[];
}
