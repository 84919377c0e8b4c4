import { Injectable } from '@nestjs/common';
import { joinSql, OrganizationId, sql, SqlFragment, TenantRead } from '@app/database';
import { type Bucket, LastPointPerBucket, OVERALL, type TrendInterval } from '@app/reports';

/** Points of one team's series as a read yields them: [instant (ms), score, level] triples. */
export interface SeriesPoints {
  teamId: string;
  dimensionKey: string | null;
  points: number[];
}

/** Offers a lastPoints read's rows to `collector` (each bucket's last point per team and series). */
export function collectLastPoints(
  rows: readonly SeriesPoints[],
  collector: LastPointPerBucket,
): void {
  for (const row of rows) {
    const series = row.dimensionKey ?? OVERALL;
    for (let i = 0; i < row.points.length; i += 3) {
      collector.offer(row.teamId, series, row.points[i], row.points[i + 1], row.points[i + 2]);
    }
  }
}

/**
 * Teams per lastPoints read when a report covers all of an organization's teams: each read's
 * result stays the size of a 500-team report (18k rows for three years), whatever the number of
 * teams, and its rows are garbage before the next read (a 5000-team report in one statement held
 * 180k rows at once).
 */
export const TEAMS_PER_POINTS_READ = 500;

/**
 * Report reads as one-round-trip TenantReads (TenantTransactions.readOnce): no interactive
 * transaction, so a large report is bound by PostgreSQL's time, not by Prisma's transaction
 * timeout, and rows come straight from pg without Prisma's per-row conversion.
 */
@Injectable()
export class ReportsRepository {
  organizationName(organizationId: OrganizationId): TenantRead<{ name: string }> {
    return {
      sql: sql`SELECT name FROM organizations WHERE id = ${organizationId}::uuid AND deleted_at IS NULL`,
      map: (row) => ({ name: row.name as string }),
    };
  }

  /** The named teams (all of them when `teamIds` is undefined), by name. */
  teams(
    organizationId: OrganizationId,
    teamIds: string[] | undefined,
  ): TenantRead<{ id: string; name: string }> {
    const named = teamIds
      ? sql` AND id IN (${joinSql(
          teamIds.map((id) => sql`${id}::uuid`),
          ', ',
        )})`
      : sql``;
    return {
      sql: sql`SELECT id::text AS id, name FROM teams
                WHERE organization_id = ${organizationId}::uuid${named}
                ORDER BY name, id`,
      map: (row) => ({ id: row.id as string, name: row.name as string }),
    };
  }

  /**
   * What a trend report needs of each team's series: enough points that each bucket's last one
   * is among them (collectLastPoints keeps it), and the last one before the window.
   *
   * Monthly and quarterly buckets change only at month starts inside the window, so they read
   * progress_snapshot_years (per team, series and UTC year, each month's last snapshot): the
   * window's years, and of the years before it only the latest (it holds the value carried in).
   * A month wholly inside a bucket counts at its start; the months at the window's edges count
   * at their snapshot's own instant, and where that lies on the wrong side of the edge one probe
   * of progress_snapshots (a backward index scan, LIMIT 1) finds the last snapshot before it:
   * before `from` (the value carried in) or before `to` (the last bucket's). Weekly buckets cut
   * months, so they read the snapshots, in the order of the covering index
   * progress_snapshots_trends_idx (organization_id, team_id, dimension_key, recorded_at)
   * INCLUDE (score, level, id), and keep each bucket's last with a window function.
   *
   * One read for named teams; for all teams, one read per TEAMS_PER_POINTS_READ of them (by
   * ranges of their ids), to be run one after the other. `dimensions` undefined: every series;
   * otherwise those keys, and the overall (NULL) series when `overall`.
   */
  lastPoints(
    organizationId: OrganizationId,
    filter: {
      /** The report's teams: named by the request, or all of the organization's. */
      teams: { named: string[] } | { all: string[] };
      interval: TrendInterval;
      buckets: readonly Bucket[];
      from: Date;
      to: Date;
      dimensions: string[] | undefined;
      overall: boolean;
      teamsPerRead?: number;
    },
  ): TenantRead<SeriesPoints>[] {
    const chosen = [];
    if (filter.dimensions?.length) {
      chosen.push(
        sql`dimension_key IN (${joinSql(
          filter.dimensions.map((key) => sql`${key}`),
          ', ',
        )})`,
      );
    }
    if (filter.overall) chosen.push(sql`dimension_key IS NULL`);
    const series = filter.dimensions
      ? sql` AND (${chosen.length ? joinSql(chosen, ' OR ') : sql`FALSE`})`
      : sql``;
    // Named teams (at most 500) by a list; all teams by ranges of their ids, each one range of
    // the indexes' (organization_id, team_id, ...) order, no list to plan.
    const teamFilters =
      'named' in filter.teams
        ? [
            sql`team_id IN (${joinSql(
              filter.teams.named.map((id) => sql`${id}::uuid`),
              ', ',
            )})`,
          ]
        : idRanges(filter.teams.all, filter.teamsPerRead ?? TEAMS_PER_POINTS_READ).map(
            ([first, last]) => sql`team_id BETWEEN ${first}::uuid AND ${last}::uuid`,
          );
    return teamFilters.map((teams) => {
      const owners = sql`organization_id = ${organizationId}::uuid AND ${teams}${series}`;
      return filter.interval === 'week'
        ? this.weeklyPoints(owners, filter)
        : this.monthlyPoints(owners, filter);
    });
  }

  private weeklyPoints(
    owners: SqlFragment,
    filter: { buckets: readonly Bucket[]; to: Date },
  ): TenantRead<SeriesPoints> {
    const starts = sql`${`{${filter.buckets.map((bucket) => bucket.start).join(',')}}`}::timestamptz[]`;
    // In the order of progress_snapshots_trends_idx: an index-only scan feeds the window unsorted.
    return {
      sql: sql`
        SELECT team_id::text AS team_id, dimension_key,
               (extract(epoch FROM recorded_at) * 1000)::float8 AS at, score, level
          FROM (SELECT p.team_id, p.dimension_key, p.recorded_at, p.score, p.level,
                       width_bucket(p.recorded_at, ${starts}) AS bucket,
                       lead(width_bucket(p.recorded_at, ${starts}))
                         OVER (PARTITION BY p.team_id, p.dimension_key
                               ORDER BY p.recorded_at, p.id) AS next_bucket
                  FROM progress_snapshots p
                 WHERE ${owners} AND p.recorded_at < ${filter.to}::timestamptz) s
         WHERE next_bucket IS DISTINCT FROM bucket`,
      map: (row) => ({
        teamId: row.team_id as string,
        dimensionKey: row.dimension_key as string | null,
        points: [row.at as number, row.score as number, row.level as number],
      }),
    };
  }

  private monthlyPoints(
    owners: SqlFragment,
    filter: { from: Date; to: Date },
  ): TenantRead<SeriesPoints> {
    const first = monthOf(filter.from);
    const last = monthOf(filter.to);
    const instantOf = (column: SqlFragment) => sql`(extract(epoch FROM ${column}) * 1000)::float8`;
    const slotAt = (month: MonthRef) =>
      sql`CASE WHEN y.year = ${month.year} THEN ${instantOf(sql`y.recorded_at[${month.slot}]`)} END`;
    /** The series' last snapshot in [from, to), as JSON [instant, score, level]. */
    const lastBetween = (from: Date, to: Date) => {
      const probe = (sameSeries: SqlFragment) => sql`(
        SELECT json_build_array(${instantOf(sql`p.recorded_at`)}, p.score, p.level)
          FROM progress_snapshots p
         WHERE p.organization_id = y.organization_id AND p.team_id = y.team_id AND ${sameSeries}
           AND p.recorded_at >= ${from}::timestamptz AND p.recorded_at < ${to}::timestamptz
         ORDER BY p.recorded_at DESC, p.id DESC LIMIT 1)`;
      // Two probes, not IS NOT DISTINCT FROM, which no index can serve.
      return sql`CASE WHEN y.dimension_key IS NULL THEN ${probe(sql`p.dimension_key IS NULL`)}
                      ELSE ${probe(sql`p.dimension_key = y.dimension_key`)} END`;
    };
    // The edge month's own last snapshot lies in the window: the one before `from` is unknown.
    const carried =
      filter.from > first.start
        ? sql`CASE WHEN y.year = ${first.year} AND y.recorded_at[${first.slot}] >= ${filter.from}::timestamptz
                   THEN ${lastBetween(first.start, filter.from)} END`
        : sql`NULL::json`;
    // The last month's last snapshot is at or after `to`: the one before `to` is unknown.
    const tail =
      filter.to > last.start
        ? sql`CASE WHEN y.year = ${last.year} AND y.recorded_at[${last.slot}] >= ${filter.to}::timestamptz
                   THEN ${lastBetween(last.start, filter.to)} END`
        : sql`NULL::json`;
    const firstIndex = first.year * 12 + first.slot - 1;
    const lastIndex = last.year * 12 + last.slot - 1;
    // Scores and levels as one packed column: each column of 18k rows (180k for 5000 teams)
    // costs pg's parser more than the SQL that fills it; the edge columns are NULL but on the
    // rows of the edge years.
    return {
      sql: sql`
        SELECT y.team_id::text AS team_id, y.dimension_key, y.year, y.scores || y.levels AS months,
               ${slotAt(first)} AS first_at, ${slotAt(last)} AS last_at,
               ${carried} AS carried, ${tail} AS tail
          FROM progress_snapshot_years y
         WHERE ${owners} AND y.year BETWEEN ${first.year} AND ${last.year}
        UNION ALL
        SELECT * FROM (
          SELECT DISTINCT ON (y.team_id, y.dimension_key)
                 y.team_id::text, y.dimension_key, y.year, y.scores || y.levels,
                 NULL::float8, NULL::float8, NULL::json, NULL::json
            FROM progress_snapshot_years y
           WHERE ${owners} AND y.year < ${first.year}
           -- Backwards in the unique index's order: the latest earlier year first, no sort.
           ORDER BY y.team_id DESC, y.dimension_key DESC, y.year DESC) earlier`,
      map: (row) => {
        const year = row.year as number;
        // Packed by the migration's triggers: twelve big-endian float8 scores (NaN: no snapshot
        // that month), then twelve int2 levels.
        const months = row.months as Buffer;
        const firstAt = row.first_at as number | null;
        const lastAt = row.last_at as number | null;
        const carried = row.carried as Point | null;
        const tail = row.tail as Point | null;
        const points: number[] = [];
        for (let slot = 0; slot < 12; slot++) {
          const score = months.readDoubleBE(slot * 8);
          const index = year * 12 + slot;
          if (Number.isNaN(score) || index > lastIndex) continue;
          const instant =
            index === firstIndex
              ? (firstAt as number)
              : index === lastIndex
                ? (lastAt as number)
                : Date.UTC(year, slot, 1);
          points.push(instant, score, months.readInt16BE(96 + slot * 2));
        }
        if (carried) points.push(...carried);
        if (tail) points.push(...tail);
        return {
          teamId: row.team_id as string,
          dimensionKey: row.dimension_key as string | null,
          points,
        };
      },
    };
  }
}

/** Consecutive ranges of `size` of the ids in uuid order: [first, last] of each. */
function idRanges(ids: readonly string[], size: number): [string, string][] {
  // PostgreSQL orders uuids by their bytes, which is the order of their lower-case hex text.
  const sorted = ids.map((id) => id.toLowerCase()).sort();
  const ranges: [string, string][] = [];
  for (let start = 0; start < sorted.length; start += size) {
    const chunk = sorted.slice(start, start + size);
    ranges.push([chunk[0], chunk[chunk.length - 1]]);
  }
  return ranges;
}

/** A probed snapshot: [instant (ms), score, level]. */
type Point = [number, number, number];

interface MonthRef {
  start: Date;
  year: number;
  /** 1..12, the month's slot in progress_snapshot_years. */
  slot: number;
}

/** The UTC month of an instant. */
function monthOf(instant: Date): MonthRef {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth();
  return { start: new Date(Date.UTC(year, month, 1)), year, slot: month + 1 };
}
