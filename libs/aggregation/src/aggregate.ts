import { krippendorffAlphaNominal, pairsOf, percentAgreement } from './agreement';
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

/** For agreement, only met and not_met are values; not_applicable and unknown are missing. */
function agreementValue(value: AnswerValue | undefined): string | null {
  return value === 'met' || value === 'not_met' ? value : null;
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

/** Throws on a threshold outside (0, 1]: the caller validated it, so this is a bug. */
function checkRule(rule: AggregationRule): void {
  if (rule.rule === 'threshold' && !(rule.threshold > 0 && rule.threshold <= 1)) {
    throw new RangeError(`threshold must be in (0, 1], got ${rule.threshold}`);
  }
}

/** One team's campaign answers, criterion by criterion, with how much the respondents agreed. */
export function aggregateTeam(input: AggregateTeamInput): TeamAggregate {
  checkRule(input.rule);
  const units: (string | null)[][] = [];
  const answers: CriterionAggregate[] = input.criterionKeys.map((criterionKey) => {
    const values = input.responses.map((response) => response[criterionKey]);
    const unit = values.map(agreementValue);
    units.push(unit);
    const pairs = pairsOf(unit);
    const counts = countAnswers(values);
    return {
      criterionKey,
      status: aggregateCriterion(counts, input.rule),
      counts,
      agreement: pairs.total === 0 ? null : pairs.agreeing / pairs.total,
    };
  });
  const pairableValues = units
    .map((unit) => unit.filter((value) => value !== null).length)
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
    respondents: input.responses.length,
    answers,
    agreement: {
      alpha: krippendorffAlphaNominal(units),
      percentAgreement: percentAgreement(units),
      pairableValues,
    },
    leastAgreement,
  };
}
