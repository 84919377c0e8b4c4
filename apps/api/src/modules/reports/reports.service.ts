import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { isUuid, problems, TenantScope } from '@app/common';
import { TenantTransactions } from '@app/database';
import {
  type Bucket,
  buildReportCard,
  buildTrendReport,
  LastPointPerBucket,
  heatmapSvg,
  OVERALL,
  type ReportCard,
  trendBuckets,
  trendChartsSvg,
  type TrendInterval,
  trendPageHtml,
  type TrendReport,
  type TrendReportInput,
  trendReportJsonChunks,
  trendCsvChunks,
} from '@app/reports';
import { collectLastPoints, ReportsRepository } from './reports.repository';

/** What a trends request selects; the query DTOs and share links' stored parameters both fit. */
export interface TrendSelection {
  teamIds?: string;
  dimensions?: string;
  from?: string;
  to?: string;
  interval?: TrendInterval;
}

const MAX_TEAMS = 500;
const MAX_SERIES = 50;
const MAX_BUCKETS = 1000;
const DEFAULT_WINDOW_MONTHS = 12;

function listOf(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(value.split(',').map((item) => item.toLowerCase()))];
}

/**
 * Trend reports over progress snapshots: per team and series (dimension or overall) the value at
 * the end of each bucket, carried forward (libs/reports), as JSON, CSV, SVG charts, a report card
 * and one HTML page. Reads only; the snapshots are written by ProgressService.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly reports: ReportsRepository,
  ) {}

  async trends(scope: TenantScope, selection: TrendSelection): Promise<TrendReport> {
    return buildTrendReport(await this.reportInput(scope, selection));
  }

  /**
   * The report as JSON text streamed a team at a time (libs/reports trendReportJsonChunks: the
   * text JSON.stringify makes of trends()), so a report of thousands of teams is never held
   * whole, as objects or as text. Every read is done before the first chunk.
   */
  async trendsJson(scope: TenantScope, selection: TrendSelection): Promise<Readable> {
    const input = await this.reportInput(scope, selection);
    return Readable.from(trendReportJsonChunks(input), { objectMode: false });
  }

  async reportCard(scope: TenantScope, selection: TrendSelection): Promise<ReportCard> {
    return buildReportCard(await this.trends(scope, { ...selection, dimensions: undefined }));
  }

  /**
   * The report as CSV (libs/reports trendCsvChunks: formula-looking cells escaped, so a team named
   * `=HYPERLINK(...)` stays text in a spreadsheet), streamed a team at a time as the client reads.
   */
  async trendsCsv(scope: TenantScope, selection: TrendSelection): Promise<Readable> {
    const input = await this.reportInput(scope, selection);
    return Readable.from(trendCsvChunks(input), { objectMode: false });
  }

  async trendsSvg(scope: TenantScope, selection: TrendSelection): Promise<string> {
    const report = await this.trends(scope, selection);
    return trendChartsSvg(report, await this.title(scope, 'trends'));
  }

  async reportCardSvg(scope: TenantScope, selection: TrendSelection): Promise<string> {
    const report = await this.trends(scope, { ...selection, dimensions: undefined });
    return heatmapSvg(buildReportCard(report), await this.title(scope, 'current levels'));
  }

  /** The page people read: report card, charts, heatmap and a table, no script. */
  async trendsPage(scope: TenantScope, selection: TrendSelection): Promise<string> {
    const report = await this.trends(scope, selection);
    const card = buildReportCard(report);
    return trendPageHtml({
      title: await this.title(scope, 'MLOps maturity trends'),
      report,
      card,
      chartsSvg: trendChartsSvg(report, 'Trends'),
      heatmapSvg: heatmapSvg(card, 'Current levels'),
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private async title(scope: TenantScope, what: string) {
    const [organization] = await this.transactions.readOnce(
      scope,
      this.reports.organizationName(scope.organizationId),
    );
    if (!organization) throw problems.notFound('Organization');
    return `${organization.name}: ${what}`;
  }

  /**
   * One-round-trip reads: the teams, then their series' points (per 500 teams), each its own
   * snapshot in time; a team created meanwhile has no points yet. A team's points come from one
   * read.
   */
  private async reportInput(
    scope: TenantScope,
    selection: TrendSelection,
  ): Promise<TrendReportInput> {
    const { organizationId } = scope;
    const { from, to, interval, buckets, teamIds, dimensions } = parseSelection(selection);
    const teams = await this.transactions.readOnce(
      scope,
      this.reports.teams(organizationId, teamIds),
    );
    if (teamIds && teams.length !== teamIds.length) throw problems.notFound('Team');
    const lastPoints = new LastPointPerBucket(buckets);
    const reads = this.reports.lastPoints(organizationId, {
      teams: teamIds ? { named: teamIds } : { all: teams.map((team) => team.id) },
      interval,
      buckets,
      from,
      to,
      dimensions: dimensions?.filter((key) => key !== OVERALL),
      overall: dimensions?.includes(OVERALL) ?? true,
    });
    // One after the other: each read's rows are collected and dropped before the next.
    for (const read of reads) {
      collectLastPoints(await this.transactions.readOnce(scope, read), lastPoints);
    }
    const series =
      dimensions ??
      lastPoints
        .seriesKeys()
        .filter((key) => key !== OVERALL)
        .sort()
        .concat(OVERALL);
    return { interval, from, to, buckets, teams, series, lastPoints };
  }
}

/** Defaults and the checks the DTO cannot make (400 naming the field). */
function parseSelection(selection: TrendSelection) {
  const to = selection.to ? new Date(selection.to) : new Date();
  const from = selection.from
    ? new Date(selection.from)
    : new Date(
        Date.UTC(
          to.getUTCFullYear(),
          to.getUTCMonth() - DEFAULT_WINDOW_MONTHS,
          to.getUTCDate(),
          to.getUTCHours(),
          to.getUTCMinutes(),
          to.getUTCSeconds(),
          to.getUTCMilliseconds(),
        ),
      );
  const interval = selection.interval ?? 'month';
  const teamIds = listOf(selection.teamIds);
  const dimensions = listOf(selection.dimensions);
  const errors: { field: string; reasons: string[] }[] = [];
  if (!(from < to)) errors.push({ field: 'from', reasons: ['from must be before to'] });
  if (teamIds && teamIds.length > MAX_TEAMS) {
    errors.push({ field: 'teamIds', reasons: [`at most ${MAX_TEAMS} teams`] });
  }
  if (dimensions && dimensions.length > MAX_SERIES) {
    errors.push({ field: 'dimensions', reasons: [`at most ${MAX_SERIES} series`] });
  }
  if (teamIds?.some((id) => !isUuid(id))) {
    errors.push({ field: 'teamIds', reasons: ['teamIds must be comma-separated UUIDs'] });
  }
  let buckets: Bucket[] = [];
  if (errors.length === 0) {
    try {
      buckets = trendBuckets(from, to, interval, MAX_BUCKETS);
    } catch {
      errors.push({
        field: 'interval',
        reasons: [`the window holds more than ${MAX_BUCKETS} ${interval} buckets`],
      });
    }
  }
  if (errors.length > 0) throw problems.validation(errors);
  return { from, to, interval, buckets, teamIds, dimensions };
}
