import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';
import { Optional, PageQueryDto } from '@app/common';
import { AssessmentHistoryQueryDto } from '../../assessments/dto/assessment.dto';
import { AuditQueryDto } from '../../audit/dto/audit.dto';
import { CampaignListQueryDto, type CampaignStatus } from '../../campaigns/dto/campaign.dto';
import { EvidenceQueryDto } from '../../evidence/dto/evidence.dto';
import { DeliveryQueryDto } from '../../integrations/dto/integration.dto';
import { ModelsPageQueryDto } from '../../maturity-models/dto/maturity-model.dto';
import { ProgressQueryDto } from '../../progress/dto/progress.dto';
import { ReportWindowQueryDto, TrendsViewQueryDto } from '../../reports/dto/report.dto';
import { DeliveryListQueryDto } from '../../webhook-endpoints/dto/webhook-endpoint.dto';
import type { TrendInterval } from '@app/reports';

/*
 * Each list's arguments are its REST query DTO (same names, validation and cursors) with GraphQL
 * field declarations; WithPage and WithTimeRange declare the fields every list shares.
 */

// TypeScript's mixin rule: a mixin's base is a constructor taking `...args: any[]`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type QueryDtoClass<Query> = new (...args: any[]) => Query;

/** REST's `cursor` and `limit` (1..100, default 50) as GraphQL arguments. */
function WithPage<Base extends QueryDtoClass<PageQueryDto>>(base: Base) {
  @ArgsType()
  class Paged extends base {
    @Field(() => String, { nullable: true }) override cursor?: string = undefined;
    @Field(() => Int, { nullable: true, description: '1..100, default 50.' })
    override limit?: number = undefined;
  }
  return Paged;
}

/** REST's `from` and `to` time range (RFC 3339) as GraphQL arguments. */
function WithTimeRange<Base extends QueryDtoClass<{ from?: string; to?: string }>>(base: Base) {
  @ArgsType()
  class TimeRanged extends base {
    @Field(() => String, { nullable: true }) override from?: string = undefined;
    @Field(() => String, { nullable: true }) override to?: string = undefined;
  }
  return TimeRanged;
}

@ArgsType()
export class ModelsPageArgs extends WithPage(ModelsPageQueryDto) {}

@ArgsType()
export class AssessmentHistoryArgs extends WithTimeRange(WithPage(AssessmentHistoryQueryDto)) {
  @Field(() => String, { nullable: true, description: 'draft or submitted' })
  override status?: 'draft' | 'submitted' = undefined;
}

@ArgsType()
export class EvidenceArgs extends WithTimeRange(WithPage(EvidenceQueryDto)) {
  @Field(() => String, { nullable: true }) override criterionKey?: string = undefined;
  @Field(() => String, { nullable: true, description: '"true" or "false", as in REST.' })
  override fresh?: 'true' | 'false' = undefined;
}

@ArgsType()
export class AuditArgs extends WithTimeRange(WithPage(AuditQueryDto)) {
  @Field(() => String, { nullable: true }) override actorId?: string = undefined;
  @Field(() => String, { nullable: true }) override entityType?: string = undefined;
}

@ArgsType()
export class DeliveryArgs extends WithTimeRange(WithPage(DeliveryQueryDto)) {
  @Field(() => String, { nullable: true }) override status?: DeliveryQueryDto['status'] = undefined;
}

@ArgsType()
export class ProgressArgs extends ProgressQueryDto {
  @Field(() => String, { nullable: true }) override cursor?: string = undefined;
  @Field(() => Int, { nullable: true, description: '1..1000, default 500.' })
  override limit?: number = undefined;
  @Field(() => String, { nullable: true }) override from?: string = undefined;
  @Field(() => String, { nullable: true }) override to?: string = undefined;
  @Field(() => String, { nullable: true, description: 'A dimension key, or `overall`.' })
  override dimension?: string = undefined;

  @Field(() => Int, {
    nullable: true,
    description:
      'Only the newest N points (1..100), oldest first; batched across teams (one query for a ' +
      'whole page of teams). Not combined with cursor, limit, from or to.',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  last?: number;
}

@ArgsType()
export class CampaignListArgs extends WithTimeRange(WithPage(CampaignListQueryDto)) {
  @Field(() => String, {
    nullable: true,
    description: 'draft, scheduled, open, closed or cancelled',
  })
  override status?: CampaignStatus = undefined;
}

/** Cursor and limit only (REST's PageQueryDto: no time range). */
@ArgsType()
export class CursorPageArgs extends WithPage(PageQueryDto) {}

@ArgsType()
export class WebhookDeliveryArgs extends WithTimeRange(WithPage(DeliveryListQueryDto)) {
  @Field(() => String, { nullable: true }) override status?: DeliveryListQueryDto['status'] =
    undefined;
}

@ArgsType()
export class ReportWindowArgs extends ReportWindowQueryDto {
  @Field(() => String, {
    nullable: true,
    description: 'Comma-separated team ids (at most 500), as in REST; default: every team.',
  })
  override teamIds?: string = undefined;
  @Field(() => String, { nullable: true, description: 'RFC 3339; default: a year before `to`.' })
  override from?: string = undefined;
  @Field(() => String, { nullable: true, description: 'RFC 3339; default: now.' })
  override to?: string = undefined;
}

@ArgsType()
export class TrendsArgs extends TrendsViewQueryDto {
  @Field(() => String, {
    nullable: true,
    description: 'Comma-separated team ids (at most 500), as in REST; default: every team.',
  })
  override teamIds?: string = undefined;
  @Field(() => String, { nullable: true, description: 'RFC 3339; default: a year before `to`.' })
  override from?: string = undefined;
  @Field(() => String, { nullable: true, description: 'RFC 3339; default: now.' })
  override to?: string = undefined;
  @Field(() => String, {
    nullable: true,
    description: 'Comma-separated dimension keys, `overall` for the overall figure.',
  })
  override dimensions?: string = undefined;
  @Field(() => String, { nullable: true, description: 'week, month (default) or quarter' })
  override interval?: TrendInterval = undefined;
}
