import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { isUuid, systemScope } from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient } from '@app/database';
import { ScoreCause, TeamScoresService } from '../team-scores/team-scores.service';
import { CriteriaCatalogue, CriteriaCatalogueReader } from './criteria-catalogue';
import type { TeamRescoreDto } from './dto/evidence.dto';
import { EvidenceBatch, EvidenceRepository, EvidenceRow } from './evidence.repository';

export type StoredEvidence = Awaited<ReturnType<EvidenceRepository['insert']>>[number];

const DAY_MS = 86_400_000;
const STALE_BATCH = 500;

/** One CI result about one team's criterion, before it is stored (its expiry is computed). */
export type NewEvidence = Omit<EvidenceRow, 'expiresAt' | 'run'> & {
  run: Record<string, unknown> | null;
};

/**
 * Stores CI results (from webhook deliveries or pushed by CI scripts), each fresh for its
 * criterion's evidenceFreshnessDays, and re-scores the teams they concern in the same
 * transaction; re-scores teams whose proof went stale. Used by HTTP and by jobs.
 */
@Injectable()
export class EvidenceRecorder {
  private readonly logger = new Logger('Evidence');

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly evidence: EvidenceRepository,
    private readonly catalogue: CriteriaCatalogueReader,
    private readonly teamScores: TeamScoresService,
  ) {}

  /**
   * Stores a batch of results inside the caller's transaction and re-scores every team it
   * concerns (cause `evidence`, naming the batch), plus `alsoRescore` (teams whose evidence the
   * caller removed). Teams are re-scored in id order, so concurrent batches that touch the same
   * teams take their per-team locks in the same order and cannot deadlock. A caller that read the
   * catalogue in this transaction already passes it (one round trip less per delivery).
   */
  async record(
    tx: TransactionClient,
    organizationId: OrganizationId,
    batch: EvidenceBatch,
    items: NewEvidence[],
    alsoRescore: string[] = [],
    known?: CriteriaCatalogue,
  ): Promise<{ evidence: StoredEvidence[]; teams: TeamRescoreDto[] }> {
    const catalogue =
      known ?? (items.length > 0 ? await this.catalogue.read(tx, organizationId) : undefined);
    const now = Date.now();
    const rows: EvidenceRow[] = items.flatMap((item) => {
      if (!catalogue) return [];
      // A result from the future (a CI clock ahead of ours) counts from now, not later.
      const observed = Math.min(item.observedAt.getTime(), now);
      return [
        {
          ...item,
          run: (item.run ?? null) as EvidenceRow['run'],
          observedAt: new Date(observed),
          expiresAt: new Date(observed + catalogue.freshnessDays(item.criterionKey) * DAY_MS),
        },
      ];
    });
    const evidence =
      rows.length > 0 ? await this.evidence.insert(tx, organizationId, batch, rows) : [];
    const teamIds = [...new Set([...rows.map((row) => row.teamId), ...alsoRescore])].sort();
    const teams: TeamRescoreDto[] = [];
    for (const teamId of teamIds) {
      const { changed, result } = await this.teamScores.rescore(tx, organizationId, teamId, {
        cause: 'evidence',
        causeId: batch.batchId,
      });
      teams.push({ teamId, changed, score: result.score, minimumLevel: result.minimumLevel });
    }
    return { evidence, teams };
  }

  /**
   * The scheduled expiry: teams whose deciding evidence went stale are re-scored (cause
   * `expiry`); a level that rested on that proof drops, with snapshots saying why.
   */
  async rescoreStale(jobName: string, jobId: string): Promise<number> {
    const stale = await this.evidence.teamsWithStaleEvidence(new Date(), STALE_BATCH);
    for (const { organizationId, teamId } of stale) {
      const scope = systemScope(organizationId, jobName, { jobId });
      await this.transactions.run(scope, (tx) =>
        this.teamScores.rescore(tx, scope.organizationId, teamId, {
          cause: 'expiry' satisfies ScoreCause,
          // Snapshots name the expiry run: the queue's job id (a run started by hand has none).
          causeId: isUuid(jobId) ? jobId : randomUUID(),
        }),
      );
    }
    if (stale.length > 0)
      this.logger.log({ teams: stale.length }, 're-scored teams with stale evidence');
    return stale.length;
  }
}
