/** One respondent's answer to one criterion, as in assessments. */
export type AnswerValue = 'met' | 'not_met' | 'not_applicable' | 'unknown';

export const ANSWER_VALUES: readonly AnswerValue[] = [
  'met',
  'not_met',
  'not_applicable',
  'unknown',
];

/** How a team's answers to one criterion become the team's answer. */
export type AggregationRule =
  { rule: 'majority' } | { rule: 'threshold'; threshold: number } | { rule: 'unanimous' };

export type AnswerCounts = Record<AnswerValue, number>;

/** One respondent's submitted answers, by criterion key (a criterion left out is not answered). */
export type ResponseAnswers = Readonly<Record<string, AnswerValue | undefined>>;

export interface CriterionAggregate {
  criterionKey: string;
  /** The team's answer under the rule (see README). */
  status: AnswerValue;
  counts: AnswerCounts;
  /**
   * Share of agreeing pairs among the met / not_met answers of this criterion (0..1), or null
   * when fewer than two respondents answered it met or not_met.
   */
  agreement: number | null;
}

export interface AgreementSummary {
  /** Krippendorff's alpha, nominal; null when undefined (see README). */
  alpha: number | null;
  /** Share of agreeing pairs over all criteria (0..1); null when no criterion has a pair. */
  percentAgreement: number | null;
  /** Values that entered both figures: met / not_met answers of criteria with two or more. */
  pairableValues: number;
}

export interface TeamAggregate {
  respondents: number;
  answers: CriterionAggregate[];
  agreement: AgreementSummary;
  /** Criteria with the least agreement (below 1), least first, at most `leastAgreementLimit`. */
  leastAgreement: { criterionKey: string; agreement: number }[];
}
