import {
  krippendorffAlphaFromCounts,
  pairsFromCounts,
  percentAgreementFromCounts,
  type UnitCounts,
} from './agreement';
import type {
  AggregationRule,
  AnswerCounts,
  AnswerValue,
  CriterionAggregate,
  ResponseAnswers,
  TeamAggregate,
} from './types';

/**
 * The team's answer to one criterion from its respondents' answers (rules in the README):
 * not_applicable when more than half of the answers given say so; otherwise the rule decides
 * between met and not_met over the met and not_met answers; unknown when there are none.
 */
export function aggregateCriterion(counts: AnswerCounts, rule: AggregationRule): AnswerValue {
  const given = counts.met + counts.not_met + counts.not_applicable + counts.unknown;
  if (given > 0 && counts.not_applicable * 2 > given) return 'not_applicable';
  const decided = counts.met + counts.not_met;
  if (decided === 0) return 'unknown';
  switch (rule.rule) {
    case 'majority':
      return counts.met > counts.not_met ? 'met' : 'not_met';
    case 'threshold':
      return counts.met / decided >= rule.threshold ? 'met' : 'not_met';
    case 'unanimous':
      return counts.not_met === 0 ? 'met' : 'not_met';
  }
}

export function countAnswers(values: readonly (AnswerValue | undefined)[]): AnswerCounts {
  const counts: AnswerCounts = { met: 0, not_met: 0, not_applicable: 0, unknown: 0 };
  for (const value of values) if (value !== undefined) counts[value] += 1;
  return counts;
}

export interface AggregateTeamInput {
  /** Every criterion of the model version, in the order the result lists them. */
  criterionKeys: readonly string[];
  /** Submitted responses only. */
  responses: readonly ResponseAnswers[];
  rule: AggregationRule;
  /** How many least-agreement criteria to list (default 5). */
  leastAgreementLimit?: number;
}

export interface AggregateTeamCountsInput extends Omit<AggregateTeamInput, 'responses'> {
  /** Submitted responses (respondents), including any that answered nothing. */
  respondents: number;
  /** Per criterion, how many respondents gave each answer (absent: nobody answered it). */
  counts: Readonly<Record<string, AnswerCounts | undefined>>;
}

/** Throws on a threshold outside (0, 1]: the caller validated it, so this is a bug. */
function checkRule(rule: AggregationRule): void {
  if (rule.rule === 'threshold' && !(rule.threshold > 0 && rule.threshold <= 1)) {
    throw new RangeError(`threshold must be in (0, 1], got ${rule.threshold}`);
  }
}

/** For agreement, only met and not_met are values; not_applicable and unknown are missing. */
function agreementUnit(counts: AnswerCounts): UnitCounts {
  return { met: counts.met, not_met: counts.not_met };
}

/** One team's campaign answers, from individual responses (counted first). */
export function aggregateTeam(input: AggregateTeamInput): TeamAggregate {
  const counts: Record<string, AnswerCounts> = {};
  for (const criterionKey of input.criterionKeys) {
    counts[criterionKey] = countAnswers(input.responses.map((response) => response[criterionKey]));
  }
  return aggregateTeamCounts({ ...input, respondents: input.responses.length, counts });
}

/**
 * One team's campaign answers, criterion by criterion, with how much the respondents agreed,
 * from per-criterion answer counts (all the rules need: see the README).
 */
export function aggregateTeamCounts(input: AggregateTeamCountsInput): TeamAggregate {
  checkRule(input.rule);
  const units: UnitCounts[] = [];
  const answers: CriterionAggregate[] = input.criterionKeys.map((criterionKey) => {
    const counts = input.counts[criterionKey] ?? countAnswers([]);
    const unit = agreementUnit(counts);
    units.push(unit);
    const pairs = pairsFromCounts(unit);
    return {
      criterionKey,
      status: aggregateCriterion(counts, input.rule),
      counts: { ...counts },
      agreement: pairs.total === 0 ? null : pairs.agreeing / pairs.total,
    };
  });
  const pairableValues = units
    .map((unit) => unit.met + unit.not_met)
    .filter((m) => m >= 2)
    .reduce((sum, m) => sum + m, 0);
  const leastAgreement = answers
    .filter(
      (answer): answer is CriterionAggregate & { agreement: number } =>
        answer.agreement !== null && answer.agreement < 1,
    )
    .sort((a, b) => a.agreement - b.agreement || (a.criterionKey < b.criterionKey ? -1 : 1))
    .slice(0, input.leastAgreementLimit ?? 5)
    .map(({ criterionKey, agreement }) => ({ criterionKey, agreement }));
  return {
    respondents: input.respondents,
    answers,
    agreement: {
      alpha: krippendorffAlphaFromCounts(units),
      percentAgreement: percentAgreementFromCounts(units),
      pairableValues,
    },
    leastAgreement,
  };
}
