import { Injectable } from '@nestjs/common';
import { joinSql, OrganizationId, sql, TenantRead } from '@app/database';

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
   * bucket. The covering index progress_snapshots_trends_idx (organization_id, team_id,
   * dimension_key, recorded_at) INCLUDE (score, level, id) serves the scan in that order. `dimensions`
   * undefined: every series; otherwise those keys, and the overall (NULL) series when `overall`.
   */
  lastPerBucket(
    organizationId: OrganizationId,
    filter: {
      teamIds: string[];
      bucketStarts: string[];
      to: Date;
      dimensions: string[] | undefined;
      overall: boolean;
    },
  ): TenantRead<SnapshotBucketRow> {
    const chosen = [];
    if (filter.dimensions?.length) {
      chosen.push(
        sql`p.dimension_key IN (${joinSql(
          filter.dimensions.map((key) => sql`${key}`),
          ', ',
        )})`,
      );
    }
    if (filter.overall) chosen.push(sql`p.dimension_key IS NULL`);
    const series = filter.dimensions
      ? sql` AND (${chosen.length ? joinSql(chosen, ' OR ') : sql`FALSE`})`
      : sql``;
    const starts = `{${filter.bucketStarts.join(',')}}`;
    return {
      // The last snapshot of each bucket is the one whose successor in the series (by time, then
      // id) falls in another bucket: a window over the index order, no sort of the whole scan.
      sql: sql`
        SELECT s.team_id::text AS team_id, s.dimension_key, s.bucket::int AS bucket, s.score, s.level
          FROM (
            SELECT p.team_id, p.dimension_key, p.score, p.level, b.bucket,
                   lead(b.bucket) OVER (PARTITION BY p.team_id, p.dimension_key
                                        ORDER BY p.recorded_at, p.id) AS next_bucket
              FROM progress_snapshots p
             CROSS JOIN LATERAL (
               SELECT width_bucket(p.recorded_at, ${starts}::timestamptz[]) AS bucket) b
             WHERE p.organization_id = ${organizationId}::uuid
               AND p.team_id IN (${joinSql(
                 filter.teamIds.map((id) => sql`${id}::uuid`),
                 ', ',
               )})
               AND p.recorded_at < ${filter.to}::timestamptz${series}
          ) s
         WHERE s.next_bucket IS DISTINCT FROM s.bucket`,
      map: (row) => ({
        teamId: row.team_id as string,
        dimensionKey: row.dimension_key as string | null,
        bucket: row.bucket as number,
        score: row.score as number,
        level: row.level as number,
      }),
    };
  }
}
