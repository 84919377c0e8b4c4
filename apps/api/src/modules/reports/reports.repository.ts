import { Injectable } from '@nestjs/common';
import { OrganizationId, TransactionClient } from '@app/database';

export interface SnapshotBucketRow {
  teamId: string;
  dimensionKey: string | null;
  bucket: number;
  score: number;
  level: number;
}

@Injectable()
export class ReportsRepository {
  organizationName(tx: TransactionClient, organizationId: OrganizationId) {
    return tx.organization.findFirst({
      where: { id: organizationId, deletedAt: null },
      select: { name: true },
    });
  }

  /** The named teams (all of them when `teamIds` is undefined), by name. */
  teams(tx: TransactionClient, organizationId: OrganizationId, teamIds: string[] | undefined) {
    return tx.team.findMany({
      where: { organizationId, ...(teamIds ? { id: { in: teamIds } } : {}) },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: { id: true, name: true },
    });
  }

  /**
   * The last snapshot of every team, series and bucket, in one statement: width_bucket over the
   * bucket starts numbers each snapshot's bucket (0: before the window, the value carried into it;
   * i: the i-th bucket), DISTINCT ON keeps the latest per (team, dimension, bucket). The index
   * (organization_id, team_id, dimension_key, recorded_at) serves the scan in that order.
   * `dimensions` undefined: every series; otherwise those keys, and the overall (NULL) series
   * when `overall` is set.
   */
  async lastPerBucket(
    tx: TransactionClient,
    organizationId: OrganizationId,
    filter: {
      teamIds: string[];
      bucketStarts: string[];
      to: Date;
      dimensions: string[] | undefined;
      overall: boolean;
    },
  ): Promise<SnapshotBucketRow[]> {
    const allSeries = filter.dimensions === undefined;
    const rows = await tx.$queryRaw<
      {
        teamId: string;
        dimensionKey: string | null;
        bucket: number;
        score: number;
        level: number;
      }[]
    >`
      SELECT DISTINCT ON (s."team_id", s."dimension_key", s."bucket")
             s."team_id"::text AS "teamId", s."dimension_key" AS "dimensionKey",
             s."bucket"::int AS "bucket", s."score", s."level"
        FROM (
          SELECT p."team_id", p."dimension_key", p."score", p."level", p."recorded_at", p."id",
                 width_bucket(p."recorded_at", ${filter.bucketStarts}::timestamptz[]) AS "bucket"
            FROM "progress_snapshots" p
           WHERE p."organization_id" = ${organizationId}::uuid
             AND p."team_id" = ANY(${filter.teamIds}::uuid[])
             AND p."recorded_at" < ${filter.to}
             AND (${allSeries}
                  OR p."dimension_key" = ANY(${filter.dimensions ?? []}::text[])
                  OR (${filter.overall} AND p."dimension_key" IS NULL))
        ) s
       ORDER BY s."team_id", s."dimension_key", s."bucket", s."recorded_at" DESC, s."id" DESC`;
    return rows;
  }
}
