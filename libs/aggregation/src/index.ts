export * from './types';
export {
  countUnit,
  krippendorffAlphaFromCounts,
  krippendorffAlphaNominal,
  pairsFromCounts,
  pairsOf,
  percentAgreement,
  percentAgreementFromCounts,
  type UnitCounts,
} from './agreement';
export {
  aggregateCriterion,
  aggregateTeam,
  aggregateTeamCounts,
  countAnswers,
  type AggregateTeamCountsInput,
  type AggregateTeamInput,
} from './aggregate';
