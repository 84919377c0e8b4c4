import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional, IsRfc3339DateTime } from '@app/common';

export const OVERALL = 'overall';

export class ProgressQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Points recorded at or after this.' })
  @Optional()
  @IsRfc3339DateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Points recorded before this.' })
  @Optional()
  @IsRfc3339DateTime()
  to?: string;

  @ApiPropertyOptional({
    example: 'testing',
    description: "One dimension's series, or `overall` for the overall one; default: all series.",
  })
  @Optional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'dimension must be a dimension key or "overall"' })
  @MaxLength(80)
  dimension?: string;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page.' })
  @Optional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export const SNAPSHOT_CAUSES = ['assessment', 'campaign', 'evidence', 'expiry'] as const;

export class ProgressPointDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: the overall figure.' })
  dimensionKey!: string | null;
  @ApiProperty({ description: "Level (overall: the weakest dimension's level)." }) level!: number;
  @ApiProperty({ description: '0..3' }) score!: number;
  @ApiProperty({ format: 'uuid' }) modelVersionId!: string;
  @ApiProperty({ enum: SNAPSHOT_CAUSES }) cause!: string;
  @ApiProperty({ format: 'uuid', description: 'The record that caused it, e.g. the assessment.' })
  causeId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: Date;
}

export class ProgressSeriesDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ type: [ProgressPointDto], description: 'Oldest first.' })
  items!: ProgressPointDto[];
  @ApiProperty({ nullable: true, type: String, description: 'The next (newer) page.' })
  nextCursor!: string | null;
}
