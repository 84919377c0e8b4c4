import { Injectable } from '@nestjs/common';
import { OrganizationId, TransactionClient } from '@app/database';
import { type AssessmentResult, type CriterionStatus, isSatisfied } from '@app/scoring';
import { RoadmapsRepository } from './roadmaps.repository';

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
 * Each change bumps the item's lock version (its ETag) and appends a history entry with the
 * cause, all in one statement (RoadmapsRepository.reconcileActiveItems), so a submit with no
 * roadmap pays one round trip. Depends on nothing but its repository: any module may import it.
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
    const statuses = criterionStatuses(result);
    const satisfied: string[] = [];
    const unsatisfied: string[] = [];
    for (const [key, status] of statuses) (isSatisfied(status) ? satisfied : unsatisfied).push(key);
    const changed = await this.roadmaps.reconcileActiveItems(
      tx,
      organizationId,
      teamId,
      { satisfied, unsatisfied, statuses: Object.fromEntries(statuses) },
      cause,
    );
    return {
      closed: changed.filter((item) => item.toStatus === 'done').map((item) => item.id),
      reopened: changed.filter((item) => item.toStatus === 'todo').map((item) => item.id),
    };
  }
}
