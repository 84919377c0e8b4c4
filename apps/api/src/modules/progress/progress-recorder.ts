import { Injectable } from '@nestjs/common';
import { OrganizationId, TransactionClient } from '@app/database';
import type { AssessmentResult } from '@app/scoring';
import { ProgressRepository, SnapshotCause } from './progress.repository';

/** Writes the progress history; jobs use it too, so it needs nothing HTTP-bound. */
@Injectable()
export class ProgressRecorder {
  constructor(private readonly snapshots: ProgressRepository) {}

  /**
   * Appends the points of one scored result, inside the caller's transaction: one per dimension
   * (its level and score) and the overall one (the weakest dimension's level, the weighted score).
   */
  async recordResult(
    tx: TransactionClient,
    organizationId: OrganizationId,
    event: {
      teamId: string;
      modelVersionId: string;
      cause: SnapshotCause;
      causeId: string;
      recordedAt: Date;
      result: AssessmentResult;
    },
  ): Promise<number> {
    const { result, ...common } = event;
    const points = [
      ...result.dimensions.map((dimension) => ({
        ...common,
        dimensionKey: dimension.dimensionKey,
        level: dimension.level,
        score: dimension.score,
      })),
      { ...common, dimensionKey: null, level: result.minimumLevel, score: result.score },
    ];
    const { count } = await this.snapshots.append(tx, organizationId, points);
    return count;
  }
}
