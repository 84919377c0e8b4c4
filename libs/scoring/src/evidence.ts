import type { EvidenceMode } from '@app/maturity-model';
import { timeOf } from './time';
import type { CriterionStatus, EvidenceItem, IgnoredEvidenceCounts, StatusSource } from './types';

/** The outcome for one criterion. */
export interface CriterionResolution {
  /** Effective status used for scoring. */
  status: CriterionStatus;
  /** The human answer ('unknown' when there is none). */
  answerStatus: CriterionStatus;
  source: StatusSource;
  conflict: boolean;
  /** The fresh item that decided the status, or null when the human answer decided. */
  decidingEvidence: EvidenceItem | null;
  /** Shared (frozen) when there was no evidence at all. */
  ignored: Readonly<IgnoredEvidenceCounts>;
}

const NOTHING_IGNORED: Readonly<IgnoredEvidenceCounts> = Object.freeze({
  expired: 0,
  notYetObserved: 0,
  superseded: 0,
  humanOnly: 0,
  invalid: 0,
});

/**
 * THE evidence rules: combines a criterion's human answer with its CI evidence at instant `asOf`
 * (a Date, or epoch milliseconds). Every other part of the library goes through this function;
 * libs/scoring/README.md documents the same rules.
 *
 * 1. Human-only criteria (mode 'human'): CI cannot prove them; all evidence is ignored
 *    (`ignored.humanOnly`) and the answer decides.
 * 2. Freshness: an item is fresh when `observedAt <= asOf` and (`expiresAt` is null or
 *    `expiresAt > asOf`). Items observed after `asOf` (`notYetObserved`), expired ones
 *    (`expired`) and items with invalid dates (`invalid`) do not count.
 * 3. The latest fresh item decides (greatest `observedAt`). Ties at the same instant: a failing
 *    item beats a passing one (be conservative), then the later `expiresAt` (null = never), then
 *    the smaller `sourceUrl`, so the outcome never depends on input order. The other fresh items
 *    are `superseded`.
 * 4. Deciding item passes -> `met`, source 'evidence' (whatever the human answered).
 * 5. Deciding item fails -> `not_met`, source 'evidence'. When the human answered `met` (or
 *    `not_applicable`), the answer is contradicted: `conflict` is true and the criterion still
 *    counts as not met. A human `not_met` / `unknown` / missing answer is simply confirmed.
 * 6. No fresh item -> the human answer decides (source 'answer'); no answer -> `unknown`
 *    (source 'none').
 */
export function resolveCriterionStatus(
  answer: CriterionStatus | undefined,
  evidence: readonly EvidenceItem[],
  asOf: Date | number,
  mode: EvidenceMode = 'both',
): CriterionResolution {
  const answerStatus: CriterionStatus = answer ?? 'unknown';
  const asOfMs = typeof asOf === 'number' ? asOf : timeOf(asOf);
  if (Number.isNaN(asOfMs)) throw new TypeError('asOf must be a valid Date');
  if (evidence.length === 0) {
    return {
      status: answerStatus,
      answerStatus,
      source: answer === undefined ? 'none' : 'answer',
      conflict: false,
      decidingEvidence: null,
      ignored: NOTHING_IGNORED,
    };
  }
  const ignored: IgnoredEvidenceCounts = {
    expired: 0,
    notYetObserved: 0,
    superseded: 0,
    humanOnly: 0,
    invalid: 0,
  };
  let best: EvidenceItem | null = null;
  let bestObserved = 0;
  let bestExpires = 0;
  let fresh = 0;

  if (mode === 'human') {
    ignored.humanOnly = evidence.length;
  } else {
    for (const item of evidence) {
      const observed = timeOf(item.observedAt);
      const expires = item.expiresAt === null ? Infinity : timeOf(item.expiresAt);
      if (Number.isNaN(observed) || Number.isNaN(expires)) {
        ignored.invalid++;
        continue;
      }
      if (observed > asOfMs) {
        ignored.notYetObserved++;
        continue;
      }
      if (expires <= asOfMs) {
        ignored.expired++;
        continue;
      }
      fresh++;
      if (
        best === null ||
        observed > bestObserved ||
        (observed === bestObserved &&
          (best.passed !== item.passed
            ? !item.passed
            : expires !== bestExpires
              ? expires > bestExpires
              : (item.sourceUrl ?? '') < (best.sourceUrl ?? '')))
      ) {
        best = item;
        bestObserved = observed;
        bestExpires = expires;
      }
    }
    if (fresh > 1) ignored.superseded = fresh - 1;
  }

  if (best === null) {
    return {
      status: answerStatus,
      answerStatus,
      source: answer === undefined ? 'none' : 'answer',
      conflict: false,
      decidingEvidence: null,
      ignored,
    };
  }
  if (best.passed) {
    return {
      status: 'met',
      answerStatus,
      source: 'evidence',
      conflict: false,
      decidingEvidence: best,
      ignored,
    };
  }
  return {
    status: 'not_met',
    answerStatus,
    source: 'evidence',
    conflict: answerStatus === 'met' || answerStatus === 'not_applicable',
    decidingEvidence: best,
    ignored,
  };
}
