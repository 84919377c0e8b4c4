import { Injectable } from '@nestjs/common';
import { CursorPosition } from '@app/common';
import { OrganizationId, TransactionClient } from '@app/database';

export interface SnapshotInput {
  teamId: string;
  dimensionKey: string | null;
  level: number;
  score: number;
  modelVersionId: string;
  cause: 'assessment' | 'campaign' | 'evidence';
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

  /** The level of the team's newest overall point, whatever caused it; null before the first. */
  async latestOverallLevel(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
  ): Promise<number | null> {
    const latest = await tx.progressSnapshot.findFirst({
      where: { organizationId, teamId, dimensionKey: null },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
      select: { level: true },
    });
    return latest?.level ?? null;
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
