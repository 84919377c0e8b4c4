import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Optional, TimeRangePageQueryDto } from '@app/common';
import { ROADMAP_PHASES } from '@app/roadmap';

export const ROADMAP_STATUSES = ['active', 'archived'] as const;
export const ITEM_STATUSES = ['todo', 'in_progress', 'done', 'dropped'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const CHANGE_CAUSES = [
  'created',
  'user',
  'assessment',
  'evidence',
  'expiry',
  'campaign',
] as const;

const DATE_ONLY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_MESSAGE = '$property must be a calendar date YYYY-MM-DD';

export class CreateRoadmapDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1, maximum: 3 },
    example: { testing: 2, monitoring: 3 },
    description:
      'Target level per dimension key (1..3); items are the unmet criteria up to it. ' +
      'Unknown keys and levels outside 1..3 -> 422.',
  })
  @IsObject()
  targetLevels!: Record<string, unknown>;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A submitted assessment of the team; default: the team's current state.",
  })
  @Optional()
  @IsUUID()
  fromAssessmentId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Default: today (UTC).' })
  @Optional()
  @IsString()
  @Matches(DATE_ONLY, { message: DATE_MESSAGE })
  startsOn?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 36, default: 12 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(36)
  horizonMonths?: number;
}

export class UpdateRoadmapItemDto {
  @ApiPropertyOptional({ enum: ITEM_STATUSES })
  @Optional()
  @IsIn(ITEM_STATUSES)
  status?: ItemStatus;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'A member of the team; null clears it.',
  })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsUUID()
  ownerUserId?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsString()
  @Matches(DATE_ONLY, { message: DATE_MESSAGE })
  dueOn?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class RoadmapListQueryDto extends TimeRangePageQueryDto {}

export class ItemEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CHANGE_CAUSES, description: 'What changed the item.' }) cause!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The user, assessment, evidence or campaign that caused it.',
  })
  causeId!: string | null;
  @ApiProperty({ enum: ITEM_STATUSES, nullable: true, type: String })
  fromStatus!: string | null;
  @ApiProperty({ enum: ITEM_STATUSES }) toStatus!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class RoadmapItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) roadmapId!: string;
  @ApiProperty({ description: '0-based place in the roadmap.' }) position!: number;
  @ApiProperty() dimensionKey!: string;
  @ApiProperty() criterionKey!: string;
  @ApiProperty() level!: number;
  @ApiProperty() weight!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ description: "The criterion's guidance: what met looks like." }) why!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The CI check that reports it.' })
  ciSignal!: string | null;
  @ApiProperty({ enum: ROADMAP_PHASES }) phase!: string;
  @ApiProperty({ enum: ITEM_STATUSES }) status!: string;
  @ApiProperty({ description: 'Done because a scored result met the criterion.' })
  autoClosed!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerUserId!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) dueOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ description: 'Also the ETag header; send it as If-Match to PATCH.' })
  etag!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class RoadmapItemWithHistoryDto extends RoadmapItemDto {
  @ApiProperty({ type: [ItemEventDto], description: 'Oldest first.' }) history!: ItemEventDto[];
}

export class ProgressCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() todo!: number;
  @ApiProperty() inProgress!: number;
  @ApiProperty() done!: number;
  @ApiProperty() dropped!: number;
  @ApiProperty({ description: 'done / (total - dropped), 0..1; 1 when nothing is left.' })
  fraction!: number;
}

export class PhaseProgressDto extends ProgressCountsDto {
  @ApiProperty({ enum: ROADMAP_PHASES }) phase!: string;
}

export class RoadmapSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ enum: ROADMAP_STATUSES }) status!: string;
  @ApiProperty({ format: 'uuid' }) modelVersionId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) fromAssessmentId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  targetLevels!: Record<string, number>;
  @ApiProperty({ format: 'date' }) startsOn!: string;
  @ApiProperty() horizonMonths!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdById!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) archivedAt!: Date | null;
}

export class RoadmapDto extends RoadmapSummaryDto {
  @ApiProperty({ type: ProgressCountsDto }) progress!: ProgressCountsDto;
  @ApiProperty({ type: [PhaseProgressDto], description: 'short, medium, long.' })
  phases!: PhaseProgressDto[];
  @ApiProperty({ type: [RoadmapItemDto], description: 'In roadmap order.' })
  items!: RoadmapItemDto[];
}

export class RoadmapPageDto {
  @ApiProperty({ type: [RoadmapSummaryDto] }) items!: RoadmapSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
