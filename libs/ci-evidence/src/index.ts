export * from './types';
export {
  newWebhookSecret,
  signStandardWebhook,
  STANDARD_WEBHOOK_TOLERANCE_SECONDS,
  type StandardWebhookHeaders,
  type StandardWebhookVerdict,
  verifyGithubSignature,
  verifyGitlabToken,
  verifyStandardWebhook,
} from './signatures';
export { deliveryIdOf, eventOf, redactHeaders } from './headers';
export { MAX_REPORTED_ITEMS, MAX_RUNS_PER_DELIVERY, normalizeDelivery } from './normalize';
export { verdictOf } from './verdict';
export {
  FALLBACK_DEFAULT_BRANCHES,
  mapReportedEvidence,
  mapRunsToEvidence,
  nameCarriesSignal,
} from './mapping';
export { MAX_GLOB_LENGTH, MAX_RULE_PATTERN_LENGTH, MAX_RULES, validateMappingRules } from './rules';
export { globMatches } from './glob';
