export type CiProvider = 'github' | 'gitlab' | 'generic';

/** What a record describes; `verdictOf` reads deployments with their own states. */
export type CiRunKind = 'workflow_run' | 'job' | 'check' | 'pipeline' | 'deployment' | 'reported';

/** One CI run, job, check or deployment, whatever the provider. Dates are ISO 8601 (UTC). */
export interface CiRunRecord {
  provider: CiProvider;
  kind: CiRunKind;
  deliveryId: string;
  event: string;
  /** "owner/name": GitHub repository.full_name, GitLab project.path_with_namespace. */
  repository: string | null;
  /** repository.default_branch / project.default_branch when the payload carries it. */
  defaultBranch: string | null;
  commitSha: string | null;
  /** Branch (or tag) name, without `refs/heads/`. */
  ref: string | null;
  runId: string | null;
  name: string;
  status: string | null;
  conclusion: string | null;
  environment: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  url: string | null;
}

export interface ReportedEvidence {
  teamId?: string;
  repository?: string;
  criterionKey?: string;
  signal?: string;
  passed: boolean;
  url?: string;
  commitSha?: string;
  observedAt?: string;
}

export type NormalizedDelivery =
  | { kind: 'ping' }
  | { kind: 'runs'; runs: CiRunRecord[] }
  | { kind: 'reported'; items: ReportedEvidence[] }
  | { kind: 'unsupported'; reason: string };

export type RunVerdict = { evidence: true; passed: boolean } | { evidence: false; reason: string };

export interface MappingRule {
  /** A regular expression tested against the run name (see validateMappingRules). */
  match: string;
  criterionKey: string;
  /** Glob on "owner/name"; the rule applies to matching repositories only. */
  repository?: string;
  /** Glob on the branch; the rule applies on these branches instead of `branches`. */
  branch?: string;
}

export interface MappingConfig {
  criteria: { key: string; ciSignal: string }[];
  rules: MappingRule[];
  /** Branch globs that count; null: only the repository's default branch. */
  branches: string[] | null;
  /** First match wins; `*` matches within a path segment, `**` across segments. */
  repositories: { pattern: string; teamId: string }[];
  teamId: string | null;
}

export interface MatchedEvidence {
  teamId: string;
  criterionKey: string;
  passed: boolean;
  run: CiRunRecord;
  /** 'signal mlops:x', 'rule 2 /regex/' or, for reported evidence, 'criterionKey x'. */
  matchedBy: string;
}

export interface MappingOutcome {
  evidence: MatchedEvidence[];
  skipped: { name: string; reason: string; criterionKey?: string }[];
  ignored: null | {
    reason: string;
    repository: string | null;
    ref: string | null;
    names: string[];
    rulesTried: string[];
  };
}
