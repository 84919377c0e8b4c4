import { Injectable } from '@nestjs/common';
import { CursorPosition } from '@app/common';
import { OrganizationId, Prisma, TransactionClient } from '@app/database';

export type SnapshotCause = 'assessment' | 'campaign' | 'evidence' | 'expiry';

export interface SnapshotInput {
  teamId: string;
  dimensionKey: string | null;
  level: number;
  score: number;
  modelVersionId: string;
  cause: SnapshotCause;
  causeId: string;
  recordedAt: Date;
}

/** Progress snapshots are append-only: the application role may insert and read them, no more. */
@Injectable()
export class ProgressRepository {
  append(tx: TransactionClient, organizationId: OrganizationId, snapshots: SnapshotInput[]) {
    return tx.progressSnapshot.createMany({
      data: snapshots.map((snapshot) => ({ organizationId, ...snapshot })),
    });
  }

  /**
   * The newest `last` points of each of many teams (optionally of one series), oldest first
   * within each team, in one statement whatever the number of teams.
   */
  lastPointsOfTeams(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
    last: number,
    dimensionKey: string | null | undefined,
  ) {
    const series =
      dimensionKey === undefined
        ? Prisma.empty
        : dimensionKey === null
          ? Prisma.sql`AND dimension_key IS NULL`
          : Prisma.sql`AND dimension_key = ${dimensionKey}`;
    return tx.$queryRaw<
      {
        id: string;
        teamId: string;
        dimensionKey: string | null;
        level: number;
        score: number;
        modelVersionId: string;
        cause: SnapshotCause;
        causeId: string;
        recordedAt: Date;
      }[]
    >`
      SELECT id, team_id AS "teamId", dimension_key AS "dimensionKey", level, score,
             model_version_id AS "modelVersionId", cause::text AS cause, cause_id AS "causeId",
             recorded_at AS "recordedAt"
        FROM (SELECT p.*, row_number() OVER (PARTITION BY team_id
                                             ORDER BY recorded_at DESC, id DESC) AS newest
                FROM progress_snapshots p
               WHERE organization_id = ${organizationId}::uuid
                 AND team_id = ANY(${[...teamIds]}::uuid[]) ${series}) ranked
       WHERE newest <= ${last}
       ORDER BY team_id, recorded_at, id`;
  }

  /** Oldest first, strictly after `after` in (recordedAt, id) order. */
  series(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    filter: { from?: string; to?: string; dimensionKey?: string | null },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.progressSnapshot.findMany({
      where: {
        organizationId,
        teamId,
        ...(filter.dimensionKey !== undefined ? { dimensionKey: filter.dimensionKey } : {}),
        AND: [
          filter.from || filter.to
            ? {
                recordedAt: {
                  ...(filter.from ? { gte: new Date(filter.from) } : {}),
                  ...(filter.to ? { lt: new Date(filter.to) } : {}),
                },
              }
            : {},
          after
            ? {
                OR: [
                  { recordedAt: { gt: after.createdAt } },
                  { recordedAt: after.createdAt, id: { gt: after.id } },
                ],
              }
            : {},
        ],
      },
      orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
      take,
      select: {
        id: true,
        dimensionKey: true,
        level: true,
        score: true,
        modelVersionId: true,
        cause: true,
        causeId: true,
        recordedAt: true,
      },
    });
  }
}
