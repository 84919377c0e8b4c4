import { Injectable } from '@nestjs/common';
import { TenantScope, fetchPage } from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient } from '@app/database';
import type { AssessmentResult } from '@app/scoring';
import { TeamsService } from '../teams/teams.service';
import { OVERALL, ProgressQueryDto, ProgressSeriesDto } from './dto/progress.dto';
import { ProgressRepository, SnapshotCause } from './progress.repository';

/**
 * The progress history: an append-only series of score snapshots per team, one point per
 * dimension plus the overall figure (dimension_key NULL) for every scoring event. Trend reports
 * read from it.
 */
@Injectable()
export class ProgressService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly snapshots: ProgressRepository,
    private readonly teams: TeamsService,
  ) {}

  /**
   * Appends the points of one scored result, inside the caller's transaction: one per dimension
   * (its level and score) and the overall one (the weakest dimension's level, the weighted score).
   * Answers how many were appended and the team's overall level before them (null: the first
   * scoring of the team), for `team.level_changed`.
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
  ): Promise<{ points: number; previousLevel: number | null }> {
    const { result, ...common } = event;
    return this.snapshots.append(tx, organizationId, common, [
      ...result.dimensions.map(({ dimensionKey, level, score }) => ({
        dimensionKey,
        level,
        score,
      })),
      { dimensionKey: null, level: result.minimumLevel, score: result.score },
    ]);
  }

  series(scope: TenantScope, teamId: string, query: ProgressQueryDto): Promise<ProgressSeriesDto> {
    const { organizationId } = scope;
    const dimensionKey = seriesKey(query.dimension);
    return this.transactions.run(scope, async (tx) => {
      await this.teams.existingTeam(tx, organizationId, teamId);
      const page = await fetchPage(
        query,
        ({ after, take }) =>
          this.snapshots.series(
            tx,
            organizationId,
            teamId,
            { from: query.from, to: query.to, dimensionKey },
            after,
            take,
          ),
        (row) => row,
        {
          defaultLimit: 500,
          // A series is ordered by when each point was recorded, then by id.
          positionOf: (row) => ({ createdAt: row.recordedAt, id: row.id }),
        },
      );
      return { teamId, ...page };
    });
  }

  /**
   * The newest `last` points of each team asked for (of one series with `dimension`), oldest
   * first, by team id; one statement whatever the number of teams. Teams of another organization
   * or unknown ids simply have no points (row-level security and the organization filter).
   */
  lastPointsOfTeams(
    scope: TenantScope,
    teamIds: readonly string[],
    last: number,
    dimension: string | undefined,
  ): Promise<Map<string, ProgressSeriesDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const rows = await this.snapshots.lastPointsOfTeams(
        tx,
        organizationId,
        teamIds,
        last,
        seriesKey(dimension),
      );
      const series = new Map<string, ProgressSeriesDto>(
        teamIds.map((teamId) => [teamId, { teamId, items: [], nextCursor: null }]),
      );
      for (const { teamId, ...point } of rows) series.get(teamId)?.items.push(point);
      return series;
    });
  }
}

/** `overall` is the overall series (dimension_key NULL); undefined: every series. */
function seriesKey(dimension: string | undefined): string | null | undefined {
  if (dimension === undefined) return undefined;
  return dimension === OVERALL ? null : dimension;
}
