import { globMatches } from './glob';
import { LIMITS } from './read';
import { compileRule } from './rules';
import type {
  CiRunRecord,
  MappingConfig,
  MappingOutcome,
  MatchedEvidence,
  ReportedEvidence,
} from './types';
import { verdictOf } from './verdict';

/** Used when the payload does not say which branch is the default one. */
export const FALLBACK_DEFAULT_BRANCHES = ['main', 'master'];
/** Names listed in an `ignored` explanation. */
const MAX_IGNORED_NAMES = 50;

type Skipped = MappingOutcome['skipped'][number];

/** A built-in CI signal matches the exact name, or the name followed by ` `, `/` or `(`. */
export function nameCarriesSignal(runName: string, signal: string): boolean {
  if (!signal || !runName.startsWith(signal)) return false;
  const next = runName.charAt(signal.length);
  return next === '' || next === ' ' || next === '/' || next === '(';
}

function teamFor(repository: string | null | undefined, config: MappingConfig): string | null {
  if (repository) {
    const hit = config.repositories.find((entry) => globMatches(entry.pattern, repository, true));
    if (hit) return hit.teamId;
  }
  return config.teamId;
}

/** null when the run's branch counts; otherwise why it does not. */
function branchProblem(run: CiRunRecord, branchGlobs: string[] | null): string | null {
  if (branchGlobs) {
    if (branchGlobs.includes('**')) return null;
    if (run.ref === null) return 'the payload names no branch';
    return branchGlobs.some((glob) => globMatches(glob, run.ref as string))
      ? null
      : `branch ${run.ref} is not one of ${branchGlobs.join(', ')}`;
  }
  const defaults = run.defaultBranch ? [run.defaultBranch] : FALLBACK_DEFAULT_BRANCHES;
  if (run.ref === null) return 'the payload names no branch';
  return defaults.includes(run.ref)
    ? null
    : `branch ${run.ref} is not the default branch (${defaults.join(' or ')})`;
}

interface Candidate {
  criterionKey: string;
  matchedBy: string;
  /** A rule's own branch glob replaces the integration's branch filter. */
  branches: string[] | null;
}

function candidatesFor(run: CiRunRecord, config: MappingConfig): Candidate[] {
  const known = new Set(config.criteria.map((criterion) => criterion.key));
  const found: Candidate[] = config.criteria
    .filter((criterion) => nameCarriesSignal(run.name, criterion.ciSignal))
    .map((criterion) => ({
      criterionKey: criterion.key,
      matchedBy: `signal ${criterion.ciSignal}`,
      branches: config.branches,
    }));
  config.rules.forEach((rule, index) => {
    if (!known.has(rule.criterionKey)) return;
    if (rule.repository && !(run.repository && globMatches(rule.repository, run.repository, true)))
      return;
    const compiled = compileRule(rule.match);
    if (!('regex' in compiled) || !compiled.regex.test(run.name.slice(0, LIMITS.name))) return;
    found.push({
      criterionKey: rule.criterionKey,
      matchedBy: `rule ${index + 1} /${rule.match}/`,
      branches: rule.branch ? [rule.branch] : config.branches,
    });
  });
  return found;
}

function rulesTried(config: MappingConfig): string[] {
  return [
    ...config.criteria.map((criterion) => `signal ${criterion.ciSignal}`),
    ...config.rules.map((rule, index) => {
      const compiled = compileRule(rule.match);
      const label = `rule ${index + 1} /${rule.match}/`;
      return 'error' in compiled ? `${label} (refused: ${compiled.error})` : label;
    }),
  ];
}

function explainIgnored(
  seen: { repository: string | null; ref: string | null; names: string[] },
  skipped: Skipped[],
  matchedAny: boolean,
  tried: string[],
): MappingOutcome['ignored'] {
  const reason =
    seen.names.length === 0
      ? 'the delivery holds no runs'
      : !matchedAny
        ? 'no run name matched a CI signal or a rule'
        : `matched, but nothing counts: ${[...new Set(skipped.map((entry) => entry.reason))].join('; ')}`;
  return { reason, ...seen, names: seen.names.slice(0, MAX_IGNORED_NAMES), rulesTried: tried };
}

/** The evidence CI runs give under an integration's mapping, and why the rest gives none. */
export function mapRunsToEvidence(runs: CiRunRecord[], config: MappingConfig): MappingOutcome {
  const evidence: MatchedEvidence[] = [];
  const skipped: Skipped[] = [];
  let matchedAny = false;
  for (const run of runs) {
    const seenHere = new Set<string>();
    const candidates = candidatesFor(run, config);
    matchedAny ||= candidates.length > 0;
    const teamId = teamFor(run.repository, config);
    const verdict = verdictOf(run);
    for (const candidate of candidates) {
      // One piece of evidence per (team, criterion) per run: the first match names it.
      if (seenHere.has(candidate.criterionKey)) continue;
      seenHere.add(candidate.criterionKey);
      const skip = (reason: string) =>
        skipped.push({ name: run.name, criterionKey: candidate.criterionKey, reason });
      const wrongBranch = branchProblem(run, candidate.branches);
      if (!teamId) {
        skip(`no team: repository ${run.repository ?? '(unknown)'} matches no pattern`);
      } else if (wrongBranch) {
        skip(wrongBranch);
      } else if (!verdict.evidence) {
        skip(verdict.reason);
      } else {
        evidence.push({
          teamId,
          criterionKey: candidate.criterionKey,
          passed: verdict.passed,
          run,
          matchedBy: candidate.matchedBy,
        });
      }
    }
  }
  const ignored =
    evidence.length > 0
      ? null
      : explainIgnored(
          {
            repository: runs[0]?.repository ?? null,
            ref: runs[0]?.ref ?? null,
            names: [...new Set(runs.map((run) => run.name))],
          },
          skipped,
          matchedAny,
          rulesTried(config),
        );
  return { evidence, skipped, ignored };
}

/**
 * Evidence a CI script reported itself (`evidence.reported`, or the API push): the criterion by
 * key or by CI signal, the team by id or by repository pattern. No branch filter: the sender
 * chose what to report. Each item becomes a synthetic run record of kind `reported`.
 */
export function mapReportedEvidence(
  items: ReportedEvidence[],
  config: MappingConfig & { knownTeamIds: ReadonlySet<string>; deliveryId?: string },
): MappingOutcome {
  const evidence: MatchedEvidence[] = [];
  const skipped: Skipped[] = [];
  const byKey = new Map(config.criteria.map((criterion) => [criterion.key, criterion]));
  const bySignal = new Map(config.criteria.map((criterion) => [criterion.ciSignal, criterion]));
  for (const item of items) {
    const label = item.criterionKey ?? item.signal ?? '(unnamed)';
    const criterion = item.criterionKey
      ? byKey.get(item.criterionKey)
      : bySignal.get(item.signal ?? '');
    if (!criterion) {
      skipped.push({
        name: label,
        reason: item.criterionKey
          ? `unknown criterion ${item.criterionKey} (or not provable by CI)`
          : `no criterion has the CI signal ${item.signal}`,
      });
      continue;
    }
    let teamId: string | null;
    if (item.teamId !== undefined) {
      teamId = config.knownTeamIds.has(item.teamId) ? item.teamId : null;
      if (!teamId) {
        skipped.push({
          name: label,
          criterionKey: criterion.key,
          reason: `unknown team ${item.teamId}`,
        });
        continue;
      }
    } else {
      teamId = teamFor(item.repository, config);
      if (!teamId || !config.knownTeamIds.has(teamId)) {
        skipped.push({
          name: label,
          criterionKey: criterion.key,
          reason: `no team: repository ${item.repository ?? '(none)'} matches no pattern`,
        });
        continue;
      }
    }
    evidence.push({
      teamId,
      criterionKey: criterion.key,
      passed: item.passed,
      matchedBy: item.criterionKey
        ? `criterionKey ${criterion.key}`
        : `signal ${criterion.ciSignal}`,
      run: reportedRun(item, criterion.ciSignal, config.deliveryId ?? ''),
    });
  }
  const ignored =
    evidence.length > 0
      ? null
      : explainIgnored(
          {
            repository: items[0]?.repository ?? null,
            ref: null,
            names: items.map((item) => item.criterionKey ?? item.signal ?? '(unnamed)'),
          },
          skipped,
          skipped.some((entry) => entry.criterionKey !== undefined),
          config.criteria.map(
            (criterion) => `criterionKey ${criterion.key} / signal ${criterion.ciSignal}`,
          ),
        );
  return { evidence, skipped, ignored };
}

function reportedRun(item: ReportedEvidence, signal: string, deliveryId: string): CiRunRecord {
  return {
    provider: 'generic',
    kind: 'reported',
    deliveryId,
    event: 'evidence.reported',
    repository: item.repository ?? null,
    defaultBranch: null,
    commitSha: item.commitSha ?? null,
    ref: null,
    runId: null,
    name: item.signal ?? signal,
    status: 'completed',
    conclusion: item.passed ? 'success' : 'failure',
    environment: null,
    startedAt: null,
    finishedAt: item.observedAt ?? null,
    url: item.url ?? null,
  };
}
