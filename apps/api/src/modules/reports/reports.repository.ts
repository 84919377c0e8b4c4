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
   * i: the i-th bucket), DISTINCT ON keeps the latest per (team, dimension, bucket). The index
   * (organization_id, team_id, dimension_key, recorded_at) serves the scan. `dimensions`
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
      sql: sql`
        SELECT DISTINCT ON (s.team_id, s.dimension_key, s.bucket)
               s.team_id::text AS team_id, s.dimension_key, s.bucket::int AS bucket, s.score, s.level
          FROM (
            SELECT p.team_id, p.dimension_key, p.score, p.level, p.recorded_at, p.id,
                   width_bucket(p.recorded_at, ${starts}::timestamptz[]) AS bucket
              FROM progress_snapshots p
             WHERE p.organization_id = ${organizationId}::uuid
               AND p.team_id IN (${joinSql(
                 filter.teamIds.map((id) => sql`${id}::uuid`),
                 ', ',
               )})
               AND p.recorded_at < ${filter.to}::timestamptz${series}
          ) s
         ORDER BY s.team_id, s.dimension_key, s.bucket, s.recorded_at DESC, s.id DESC`,
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
