import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { isUuid, systemScope } from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient } from '@app/database';
import { ScoreCause, TeamScoresService } from '../team-scores/team-scores.service';
import { CriteriaCatalogue, CriteriaCatalogueReader } from './criteria-catalogue';
import type { TeamRescoreDto } from './dto/evidence.dto';
import {
  EvidenceBatch,
  EvidenceRepository,
  EvidenceRow,
  type StoredEvidence,
} from './evidence.repository';

export interface RecordedBatch {
  evidence: StoredEvidence[];
  teams: TeamRescoreDto[];
}

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
   * caller removed). A caller that read the catalogue in this transaction already passes it.
   */
  async record(
    tx: TransactionClient,
    organizationId: OrganizationId,
    batch: EvidenceBatch,
    items: NewEvidence[],
    alsoRescore: string[] = [],
    known?: CriteriaCatalogue,
  ): Promise<RecordedBatch> {
    const [recorded] = await this.recordMany(
      tx,
      organizationId,
      [{ batch, items, alsoRescore }],
      known,
    );
    return recorded;
  }

  /**
   * record() for several batches at once: their evidence goes in one statement and each team
   * they concern is re-scored once, after all of it. The re-score names the LAST batch (in the
   * order given) that concerns the team: its progress snapshots, notification and roadmap changes
   * name that batch, and only that batch's result says `changed` (the others list the team with
   * the same new score, `changed: false`). Teams are re-scored in id order, so concurrent callers
   * that touch the same teams take their per-team locks in the same order and cannot deadlock.
   */
  async recordMany(
    tx: TransactionClient,
    organizationId: OrganizationId,
    batches: { batch: EvidenceBatch; items: NewEvidence[]; alsoRescore?: string[] }[],
    known?: CriteriaCatalogue,
  ): Promise<RecordedBatch[]> {
    const anyItems = batches.some(({ items }) => items.length > 0);
    const catalogue =
      known ?? (anyItems ? await this.catalogue.read(tx, organizationId) : undefined);
    const now = Date.now();
    const rowsOf = batches.map(({ items }) =>
      items.flatMap((item): EvidenceRow[] => {
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
      }),
    );
    const stored = rowsOf.some((rows) => rows.length > 0)
      ? await this.evidence.insert(
          tx,
          organizationId,
          batches.map(({ batch }, index) => ({ batch, rows: rowsOf[index] })),
        )
      : [];
    const teamsOf = batches.map(({ alsoRescore = [] }, index) => [
      ...new Set([...rowsOf[index].map((row) => row.teamId), ...alsoRescore]),
    ]);
    // The last batch concerning each team names its re-score.
    const causeOf = new Map<string, string>();
    teamsOf.forEach((teamIds, index) => {
      for (const teamId of teamIds) causeOf.set(teamId, batches[index].batch.batchId);
    });
    const rescored = new Map<string, TeamRescoreDto>();
    for (const teamId of [...causeOf.keys()].sort()) {
      const { changed, result } = await this.teamScores.rescore(tx, organizationId, teamId, {
        cause: 'evidence',
        causeId: causeOf.get(teamId) ?? batches[0].batch.batchId,
      });
      rescored.set(teamId, {
        teamId,
        changed,
        score: result.score,
        minimumLevel: result.minimumLevel,
      });
    }
    return batches.map(({ batch }, index) => ({
      // Rows of one batch keep their order (one batch per delivery or per pushed request).
      evidence: stored.filter((row) => row.batchId === batch.batchId),
      teams: teamsOf[index].sort().flatMap((teamId) => {
        const team = rescored.get(teamId);
        if (!team) return [];
        return [causeOf.get(teamId) === batch.batchId ? team : { ...team, changed: false }];
      }),
    }));
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
