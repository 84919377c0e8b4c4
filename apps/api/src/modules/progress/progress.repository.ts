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
  /**
   * Appends one scoring event's points (same team, model version, cause and time) and answers the
   * team's overall level before them, in one statement: every part of a WITH sees the table as it
   * was before the statement, so `previous` cannot see the rows `inserted` adds.
   */
  async append(
    tx: TransactionClient,
    organizationId: OrganizationId,
    event: Omit<SnapshotInput, 'dimensionKey' | 'level' | 'score'>,
    points: { dimensionKey: string | null; level: number; score: number }[],
  ): Promise<{ points: number; previousLevel: number | null }> {
    const [row] = await tx.$queryRaw<{ points: number; previousLevel: number | null }[]>`
      WITH previous AS (
        SELECT level FROM progress_snapshots
         WHERE organization_id = ${organizationId}::uuid AND team_id = ${event.teamId}::uuid
           AND dimension_key IS NULL
         ORDER BY recorded_at DESC, id DESC LIMIT 1
      ), inserted AS (
        INSERT INTO progress_snapshots
          (organization_id, team_id, dimension_key, level, score, model_version_id, cause, cause_id, recorded_at)
        SELECT ${organizationId}::uuid, ${event.teamId}::uuid, p.dimension_key, p.level, p.score,
               ${event.modelVersionId}::uuid, ${event.cause}::"SnapshotCause", ${event.causeId}::uuid,
               ${event.recordedAt}::timestamptz
          FROM unnest(${points.map((p) => p.dimensionKey)}::text[], ${points.map((p) => p.level)}::int[],
                      ${points.map((p) => p.score)}::float8[]) AS p(dimension_key, level, score)
        RETURNING 1
      )
      SELECT (SELECT count(*)::int FROM inserted) AS points,
             (SELECT level FROM previous) AS "previousLevel"`;
    return row;
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
