import { Injectable } from '@nestjs/common';
import { TenantScope, fetchPage } from '@app/common';
import { TenantTransactions } from '@app/database';
import { TeamsService } from '../teams/teams.service';
import { OVERALL, ProgressQueryDto, ProgressSeriesDto } from './dto/progress.dto';
import { ProgressRepository } from './progress.repository';

/**
 * The progress history: an append-only series of score snapshots per team, one point per
 * dimension plus the overall figure (dimension_key NULL) for every scoring event (written by
 * ProgressRecorder). Trend reports read from it.
 */
@Injectable()
export class ProgressService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly snapshots: ProgressRepository,
    private readonly teams: TeamsService,
  ) {}

  series(scope: TenantScope, teamId: string, query: ProgressQueryDto): Promise<ProgressSeriesDto> {
    const { organizationId } = scope;
    const dimensionKey =
      query.dimension === undefined
        ? undefined
        : query.dimension === OVERALL
          ? null
          : query.dimension;
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
}
