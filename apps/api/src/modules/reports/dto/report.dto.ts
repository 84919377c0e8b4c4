import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { IsRfc3339DateTime, Optional } from '@app/common';
import { TREND_INTERVALS, type TrendInterval } from '@app/reports';

const LIST_OF_UUIDS = /^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$/;
const LIST_OF_KEYS = /^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$/;

/** The window and selection of a report; the same fields a share link stores. */
export class ReportWindowQueryDto {
  @ApiPropertyOptional({
    description: 'Comma-separated team ids (at most 500); default: every team.',
    example: '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d',
  })
  @Optional()
  @IsString()
  @MaxLength(18500)
  @Matches(LIST_OF_UUIDS, { message: 'teamIds must be comma-separated UUIDs' })
  teamIds?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Start of the window; default: one year before `to`.',
  })
  @Optional()
  @IsRfc3339DateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the window; default: now.' })
  @Optional()
  @IsRfc3339DateTime()
  to?: string;
}

/** The trends selection (the SVG and HTML forms; a share link stores these fields). */
export class TrendsViewQueryDto extends ReportWindowQueryDto {
  @ApiPropertyOptional({
    description:
      'Comma-separated dimension keys, `overall` for the overall figure; default: every ' +
      'dimension with snapshots, and overall.',
    example: 'testing,overall',
  })
  @Optional()
  @IsString()
  @MaxLength(2000)
  @Matches(LIST_OF_KEYS, { message: 'dimensions must be comma-separated dimension keys' })
  dimensions?: string;

  @ApiPropertyOptional({ enum: TREND_INTERVALS, default: 'month' })
  @Optional()
  @IsIn(TREND_INTERVALS)
  interval?: TrendInterval;
}

export class TrendsQueryDto extends TrendsViewQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv: the same report as CSV (or send `Accept: text/csv`).',
  })
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class BucketDto {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive.' }) end!: string;
}

export class TeamRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class TrendSeriesDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ description: 'A dimension key, or `overall`.' }) series!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'number', nullable: true },
    description: 'Score at the end of each bucket (the last snapshot up to it); null before any.',
  })
  values!: (number | null)[];
  @ApiProperty({ type: 'array', items: { type: 'integer', nullable: true } })
  levels!: (number | null)[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      "Value at the end of the window minus the value at the series' start (the value carried " +
      'into the window, else the first bucket with a value).',
  })
  delta!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'delta per quarter (levels/quarter).' })
  velocity!: number | null;
}

export class RollupPointDto {
  @ApiProperty({ nullable: true, type: Number }) mean!: number | null;
  @ApiProperty({ description: 'Teams with a value at the end of the bucket.' }) count!: number;
}

export class TrendRollupDto {
  @ApiProperty() series!: string;
  @ApiProperty({ type: [RollupPointDto] }) values!: RollupPointDto[];
}

export class TrendReportDto {
  @ApiProperty({ enum: TREND_INTERVALS }) interval!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: [BucketDto] }) buckets!: BucketDto[];
  @ApiProperty({ type: [TeamRefDto], description: 'By name.' }) teams!: TeamRefDto[];
  @ApiProperty({ type: [String], description: 'Series keys: dimensions, then `overall`.' })
  series!: string[];
  @ApiProperty({ type: [TrendSeriesDto], description: 'Per team, per series.' })
  teamSeries!: TrendSeriesDto[];
  @ApiProperty({ type: [TrendRollupDto], description: 'Organization mean per series and bucket.' })
  organization!: TrendRollupDto[];
}

export class TeamChangeDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() delta!: number;
  @ApiProperty() score!: number;
}

export class HeatmapRowDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'array', items: { type: 'integer', nullable: true } })
  levels!: (number | null)[];
}

export class LevelDistributionDto {
  @ApiProperty() dimension!: string;
  @ApiProperty({ type: [Number], description: 'Teams at level 0, 1, 2, 3.' }) counts!: number[];
  @ApiProperty() unassessed!: number;
}

export class ReportCardDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: [String] }) dimensions!: string[];
  @ApiProperty({ type: [TeamChangeDto] }) mostImproved!: TeamChangeDto[];
  @ApiProperty({ type: [TeamChangeDto] }) mostRegressed!: TeamChangeDto[];
  @ApiProperty({ type: [HeatmapRowDto], description: 'Levels at the end of the window.' })
  heatmap!: HeatmapRowDto[];
  @ApiProperty({ type: [LevelDistributionDto] }) distribution!: LevelDistributionDto[];
}
