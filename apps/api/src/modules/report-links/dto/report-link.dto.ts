import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsRfc3339DateTime, Optional, TimeRangePageQueryDto } from '@app/common';
import { TREND_INTERVALS, type TrendInterval } from '@app/reports';

export const SHARED_REPORTS = ['trends'] as const;

/** What the shared page shows: the trends page's selection, fixed when the link is made. */
export class TrendLinkParametersDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Default: every team.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  teamIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['testing', 'overall'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  @Matches(/^[a-z][a-z0-9_]*$/, { each: true, message: 'each dimension must be a dimension key' })
  dimensions?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: a year before `to`.' })
  @Optional()
  @IsRfc3339DateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: when the page is opened.' })
  @Optional()
  @IsRfc3339DateTime()
  to?: string;

  @ApiPropertyOptional({ enum: TREND_INTERVALS, default: 'month' })
  @Optional()
  @IsIn(TREND_INTERVALS)
  interval?: TrendInterval;
}

export class CreateReportLinkDto {
  @ApiProperty({ enum: SHARED_REPORTS }) @IsIn(SHARED_REPORTS) report!: 'trends';

  @ApiProperty({ type: TrendLinkParametersDto })
  @ValidateNested()
  @Type(() => TrendLinkParametersDto)
  parameters!: TrendLinkParametersDto;

  @ApiProperty({ format: 'date-time', description: 'In the future, at most a year ahead.' })
  @IsRfc3339DateTime()
  expiresAt!: string;
}

export class ReportLinkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SHARED_REPORTS }) report!: string;
  @ApiProperty({ type: TrendLinkParametersDto }) parameters!: TrendLinkParametersDto;
  @ApiProperty({ format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdById!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class CreatedReportLinkDto extends ReportLinkDto {
  @ApiProperty({ description: 'Shown once: only its hash is stored.' }) token!: string;
  @ApiProperty({ description: 'The page, readable with no login until it expires or is revoked.' })
  url!: string;
}

export class ReportLinkPageDto {
  @ApiProperty({ type: [ReportLinkDto] }) items!: ReportLinkDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ReportLinkListQueryDto extends TimeRangePageQueryDto {}
