import { Injectable } from '@nestjs/common';
import { OrganizationId, TransactionClient } from '@app/database';
import { type AssessmentResult, type CriterionStatus, isSatisfied } from '@app/scoring';
import { ItemEventInput, RoadmapsRepository } from './roadmaps.repository';

/** What made the team's scored result change (the item history records it). */
export interface ReconcileCause {
  kind: 'user' | 'assessment' | 'evidence' | 'expiry' | 'campaign';
  /** The user, assessment, evidence or campaign id; null when there is none to name. */
  id: string | null;
}

export interface ReconcileOutcome {
  closed: string[];
  reopened: string[];
}

/** Effective status of every criterion of a scored result, by criterion key. */
export function criterionStatuses(result: AssessmentResult): Map<string, CriterionStatus> {
  return new Map(
    result.dimensions.flatMap((dimension) =>
      dimension.criteria.map((criterion) => [criterion.key, criterion.status] as const),
    ),
  );
}

/**
 * Keeps the team's active roadmap in step with its current scored result. The one entry point
 * every scoring event calls (assessment submit today; CI evidence, its expiry and campaign close
 * too), inside the transaction that produced the result:
 * - an open item (todo, in progress) whose criterion the result satisfies (met or not
 *   applicable) closes itself: done, marked auto-closed;
 * - an auto-closed item whose criterion the result no longer satisfies reopens (todo);
 * - an item a person marked done or dropped is theirs: a result never overrules it;
 * - a criterion the result does not score (another model version) leaves its item alone.
 * Each change bumps the item's lock version (its ETag) and appends a history entry with the cause.
 * Depends on nothing but its repository, so any module may import it without a cycle.
 */
@Injectable()
export class RoadmapReconciler {
  constructor(private readonly roadmaps: RoadmapsRepository) {}

  async reconcile(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    result: AssessmentResult,
    cause: ReconcileCause,
  ): Promise<ReconcileOutcome> {
    const items = await this.roadmaps.lockActiveItems(tx, organizationId, teamId);
    const statuses = criterionStatuses(result);
    const outcome: ReconcileOutcome = { closed: [], reopened: [] };
    const events: ItemEventInput[] = [];
    for (const item of items) {
      const status = statuses.get(item.criterionKey);
      if (status === undefined) continue;
      const satisfied = isSatisfied(status);
      const open = item.status === 'todo' || item.status === 'in_progress';
      let toStatus: 'done' | 'todo';
      if (satisfied && open) toStatus = 'done';
      else if (!satisfied && item.status === 'done' && item.autoClosed) toStatus = 'todo';
      else continue;
      const updated = await this.roadmaps.updateItem(
        tx,
        organizationId,
        item.id,
        item.lockVersion,
        {
          status: toStatus,
          autoClosed: toStatus === 'done',
        },
      );
      // The row is locked for this transaction: the compare-and-set cannot lose.
      if (!updated) throw new Error(`Roadmap item ${item.id} changed under its row lock`);
      (toStatus === 'done' ? outcome.closed : outcome.reopened).push(item.id);
      events.push({
        itemId: item.id,
        cause: cause.kind,
        causeId: cause.id,
        fromStatus: item.status,
        toStatus,
        changes: { status: toStatus, criterionStatus: status },
      });
    }
    await this.roadmaps.appendEvents(tx, organizationId, events);
    return outcome;
  }
}
