import { Get, Headers, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OrganizationController, RequirePermission, Tenant } from '@app/common';
import type { TenantScope } from '@app/common';
import {
  ReportCardDto,
  ReportWindowQueryDto,
  TrendReportDto,
  TrendsQueryDto,
  TrendsViewQueryDto,
} from './dto/report.dto';
import { ReportsService } from './reports.service';

export const SVG_TYPE = 'image/svg+xml; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
const SVG_CONTENT = { 'image/svg+xml': { schema: { type: 'string' } } };

/** CSV when asked by `format=csv`, or by an Accept header that names text/csv and not JSON. */
function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return !!accept && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

@ApiTags('reports')
@ApiExtraModels(TrendReportDto)
@OrganizationController('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('trends')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'Trends per team and series over time buckets, with deltas and an org roll-up.',
    description:
      'Per team and dimension (and `overall`) the score at the end of each bucket: the last ' +
      "snapshot up to it, carried forward; null before a team's first snapshot. Buckets are " +
      'UTC calendar weeks (from Monday), months or quarters, the first starting at `from` and ' +
      'the last ending at `to`. `format=csv` or `Accept: text/csv` answers the same as CSV ' +
      '(formula-looking cells escaped).',
  })
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(TrendReportDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async trends(
    @Tenant() scope: TenantScope,
    @Query() query: TrendsQueryDto,
    @Headers('accept') accept: string | undefined,
  ): Promise<StreamableFile> {
    const { format, ...selection } = query;
    if (wantsCsv(format, accept)) {
      return new StreamableFile(await this.reports.trendsCsv(scope, selection), {
        type: 'text/csv; charset=utf-8',
        disposition: 'inline; filename="trends.csv"',
      });
    }
    return new StreamableFile(await this.reports.trendsJson(scope, selection), {
      type: 'application/json; charset=utf-8',
    });
  }

  @Get('trends.svg')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'The trends as SVG line charts, 800 px wide.',
    description:
      'One chart per series whose lines are the teams and the organization mean (dashed); for ' +
      'one team, one chart whose lines are its series.',
  })
  @ApiOkResponse({ content: SVG_CONTENT })
  async trendsSvg(
    @Tenant() scope: TenantScope,
    @Query() query: TrendsViewQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const svg = await this.reports.trendsSvg(scope, query);
    void reply.type(SVG_TYPE);
    return svg;
  }

  @Get('trends.html')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'The trends as one printable page: report card, charts, heatmap and a table.',
  })
  @ApiOkResponse({ content: { 'text/html': { schema: { type: 'string' } } } })
  async trendsHtml(
    @Tenant() scope: TenantScope,
    @Query() query: TrendsViewQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const html = await this.reports.trendsPage(scope, query);
    void reply.type(HTML_TYPE);
    return html;
  }

  @Get('report-card')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'Most improved and regressed teams, levels heatmap and distribution over a window.',
  })
  @ApiOkResponse({ type: ReportCardDto })
  reportCard(
    @Tenant() scope: TenantScope,
    @Query() query: ReportWindowQueryDto,
  ): Promise<ReportCardDto> {
    return this.reports.reportCard(scope, query);
  }

  @Get('report-card.svg')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: "The report card's team x dimension heatmap of levels, as SVG." })
  @ApiOkResponse({ content: SVG_CONTENT })
  async reportCardSvg(
    @Tenant() scope: TenantScope,
    @Query() query: ReportWindowQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const svg = await this.reports.reportCardSvg(scope, query);
    void reply.type(SVG_TYPE);
    return svg;
  }
}
