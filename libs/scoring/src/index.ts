export * from './types';
export { resolveCriterionStatus, type CriterionResolution } from './evidence';
export { BAND_NAMES, bandForLevel, isSatisfied, round4, scoreAssessment } from './score';
export {
  diffAssessmentResults,
  type AssessmentResultDiff,
  type CriterionStatusChange,
  type DimensionScoreChange,
} from './diff';
