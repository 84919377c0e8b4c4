import { Injectable } from '@nestjs/common';
import { joinSql, OrganizationId, sql, SqlFragment, TenantRead } from '@app/database';
import type { TrendInterval } from '@app/reports';

export interface SnapshotBucketRow {
  teamId: string;
  dimensionKey: string | null;
  bucket: number;
  score: number;
  level: number;
}

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
   * The last snapshot of every team, series and bucket, in one statement: width_bucket over the
   * bucket starts numbers each snapshot's bucket (0: before the window, the value carried into it;
   * i: the i-th bucket), and a snapshot is kept when the next one of its series is in another
   * bucket. `dimensions` undefined: every series; otherwise those keys, and the overall (NULL)
   * series when `overall`.
   *
   * Monthly and quarterly buckets change only at month starts inside the window, so the months
   * that lie wholly before it or wholly inside it are read from progress_snapshot_months (each
   * month's last snapshot, kept by triggers: one row per team, series and month) and only the
   * partial months at `from` and `to` from progress_snapshots: the same last snapshot per bucket
   * from a fraction of the rows. Weekly buckets cut months, so they read the snapshots, in the
   * order of the covering index progress_snapshots_trends_idx (organization_id, team_id,
   * dimension_key, recorded_at) INCLUDE (score, level, id).
   */
  lastPerBucket(
    organizationId: OrganizationId,
    filter: {
      teamIds: string[];
      interval: TrendInterval;
      bucketStarts: string[];
      to: Date;
      dimensions: string[] | undefined;
      overall: boolean;
    },
  ): TenantRead<SnapshotBucketRow> {
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
    const owners = sql`organization_id = ${organizationId}::uuid
               AND team_id IN (${joinSql(
                 filter.teamIds.map((id) => sql`${id}::uuid`),
                 ', ',
               )})${series}`;
    const starts = sql`${`{${filter.bucketStarts.join(',')}}`}::timestamptz[]`;
    /**
     * A source's last row per series and bucket: the one whose successor in the series (in
     * `order`, which is time order) falls in another bucket; a window, no DISTINCT ON's sort.
     */
    const lastOfBuckets = (source: SqlFragment, order: SqlFragment) => sql`
      SELECT team_id, dimension_key, recorded_at, id, score, level, bucket
        FROM (SELECT p.*, width_bucket(p.recorded_at, ${starts}) AS bucket,
                     lead(width_bucket(p.recorded_at, ${starts}))
                       OVER (PARTITION BY p.team_id, p.dimension_key ORDER BY ${order}) AS next_bucket
                FROM ${source} p) s
       WHERE next_bucket IS DISTINCT FROM bucket`;
    const columns = sql`team_id::text AS team_id, dimension_key, bucket::int AS bucket, score, level`;
    const months =
      filter.interval === 'week'
        ? undefined
        : wholeMonths(new Date(filter.bucketStarts[0]), filter.to);
    if (!months) {
      // In the order of progress_snapshots_trends_idx: an index-only scan feeds the window unsorted.
      const snapshots = sql`(SELECT team_id, dimension_key, recorded_at, id, score, level
                               FROM progress_snapshots
                              WHERE ${owners} AND recorded_at < ${filter.to}::timestamptz)`;
      return {
        sql: sql`SELECT ${columns} FROM (${lastOfBuckets(snapshots, sql`p.recorded_at, p.id`)}) last`,
        map: toRow,
      };
    }
    // The whole months in the order of the roll-up's unique index (an index-only scan, unsorted;
    // within a series, month order is time order), the partial edge months from the snapshots.
    const whole = sql`(SELECT team_id, dimension_key, month, recorded_at, snapshot_id AS id, score, level
                         FROM progress_snapshot_months
                        WHERE ${owners}
                          AND (month < ${day(months.first)}::date
                               OR (month >= ${day(months.inside)}::date AND month < ${day(months.last)}::date)))`;
    const edges = sql`(SELECT team_id, dimension_key, recorded_at, id, score, level
                         FROM progress_snapshots
                        WHERE ${owners}
                          AND recorded_at >= ${months.first}::timestamptz
                          AND recorded_at < ${filter.to}::timestamptz
                          AND (recorded_at < ${months.inside}::timestamptz
                               OR recorded_at >= ${months.last}::timestamptz))`;
    // A bucket can have a last row from both sources; the later one wins. An edge row is later
    // than every whole month except in the first bucket, when it comes from [from, inside): there
    // any whole month of the bucket beats it. coalesce: dimension keys are never empty, and a
    // hash join needs plain equality, not IS NOT DISTINCT FROM.
    const firstEnd = filter.bucketStarts[1] ?? filter.to.toISOString();
    return {
      sql: sql`
        WITH whole AS (${lastOfBuckets(whole, sql`p.month`)}),
             edges AS (${lastOfBuckets(edges, sql`p.recorded_at, p.id`)})
        SELECT ${columns} FROM whole w
         WHERE NOT EXISTS (
           SELECT 1 FROM edges e
            WHERE e.team_id = w.team_id AND coalesce(e.dimension_key, '') = coalesce(w.dimension_key, '')
              AND e.bucket = w.bucket AND (e.recorded_at, e.id) > (w.recorded_at, w.id))
        UNION ALL
        SELECT ${columns} FROM edges e
         WHERE NOT (e.bucket = 1 AND e.recorded_at < ${months.inside}::timestamptz)
            OR NOT EXISTS (
              SELECT 1 FROM progress_snapshot_months m
               WHERE m.organization_id = ${organizationId}::uuid AND m.team_id = e.team_id
                 AND coalesce(m.dimension_key, '') = coalesce(e.dimension_key, '')
                 AND m.month >= ${day(months.inside)}::date AND m.month < ${day(months.last)}::date
                 AND m.recorded_at < ${firstEnd}::timestamptz)`,
      map: toRow,
    };
  }
}

function toRow(row: Record<string, unknown>): SnapshotBucketRow {
  return {
    teamId: row.team_id as string,
    dimensionKey: row.dimension_key as string | null,
    bucket: row.bucket as number,
    score: row.score as number,
    level: row.level as number,
  };
}

const day = (instant: Date) => instant.toISOString().slice(0, 10);

/**
 * How [from, to) splits into UTC months: `first` is the month of `from`, `inside`
 * the first month starting at or after `from`, `last` the month of `to`. The months before `first`
 * and those in [inside, last) are whole; the rest, [first, inside) and [last, to), are partial.
 */
function wholeMonths(from: Date, to: Date) {
  const monthOf = (instant: Date, add = 0) =>
    new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + add, 1));
  const first = monthOf(from);
  const inside = first.getTime() === from.getTime() ? first : monthOf(from, 1);
  return { first, inside, last: monthOf(to) };
}
