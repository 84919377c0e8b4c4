export * from './types';
export { krippendorffAlphaNominal, pairsOf, percentAgreement } from './agreement';
export {
  aggregateCriterion,
  aggregateTeam,
  countAnswers,
  type AggregateTeamInput,
} from './aggregate';
