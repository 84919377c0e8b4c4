import { isSafePattern } from 'redos-detector';
import type { MappingRule } from './types';

export const MAX_RULES = 50;
export const MAX_RULE_PATTERN_LENGTH = 200;
export const MAX_GLOB_LENGTH = 200;
/**
 * redos-detector's budget per pattern: a pattern it cannot prove safe within it is refused. The
 * time limit bounds what one rule can cost the server; it is generous (everyday patterns take
 * 1-150 ms on a loaded 2-core machine) so that a busy machine does not refuse a safe rule, and a
 * check that ran out of time is not cached (it may pass next time).
 */
const REDOS_CHECK_TIMEOUT_MS = 500;

export type CompiledRule = { regex: RegExp } | { error: string; transient?: true };

/**
 * User regexes run on the server against run names (at most 256 characters). redos-detector
 * proves the pattern free of catastrophic backtracking. It is given the pattern anchored at the
 * start, `^(?:...)`: unanchored, it flags every `.*foo.*` (a search retries at each start
 * position), while that retry costs at most a factor of the 256-character name, which is fine.
 * safe-regex2 was tried and refused: it misses exponential patterns such as `(a|a)*$`.
 * Results are cached per pattern (the worker maps the same rules for every delivery).
 */
export function compileRule(pattern: string): CompiledRule {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const compiled = compileUncached(pattern);
  // A check that ran out of time on a busy machine may pass next time: not cached.
  if ('transient' in compiled) return compiled;
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

const CACHE_SIZE = 1000;
const cache = new Map<string, CompiledRule>();

function compileUncached(pattern: string): CompiledRule {
  if (typeof pattern !== 'string' || pattern === '') return { error: 'must be a non-empty regex' };
  if (pattern.length > MAX_RULE_PATTERN_LENGTH) {
    return { error: `longer than ${MAX_RULE_PATTERN_LENGTH} characters` };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return { error: `not a valid regular expression: ${(error as Error).message}` };
  }
  try {
    const check = isSafePattern(`^(?:${pattern})`, { timeout: REDOS_CHECK_TIMEOUT_MS });
    if (!check.safe) {
      const error = `may backtrack catastrophically (ReDoS; ${check.error ?? 'unsafe'}): simplify it`;
      return check.error === 'timedOut' ? { error, transient: true } : { error };
    }
  } catch (error) {
    return { error: `cannot be checked for ReDoS: ${(error as Error).message}` };
  }
  return { regex };
}

/** Problems with user-supplied mapping rules, one per field (empty: all good). */
export function validateMappingRules(
  rules: MappingRule[],
  knownCriterionKeys: ReadonlySet<string>,
): { field: string; reason: string }[] {
  if (!Array.isArray(rules)) return [{ field: 'rules', reason: 'must be an array' }];
  const problems: { field: string; reason: string }[] = [];
  if (rules.length > MAX_RULES) {
    problems.push({ field: 'rules', reason: `at most ${MAX_RULES} rules` });
  }
  rules.slice(0, MAX_RULES).forEach((rule, index) => {
    const at = `rules[${index}]`;
    const compiled = compileRule(rule?.match);
    if ('error' in compiled) problems.push({ field: `${at}.match`, reason: compiled.error });
    if (typeof rule?.criterionKey !== 'string' || !knownCriterionKeys.has(rule.criterionKey)) {
      problems.push({
        field: `${at}.criterionKey`,
        reason: 'not a criterion of the model that CI can prove',
      });
    }
    for (const field of ['repository', 'branch'] as const) {
      const value = rule?.[field];
      if (value === undefined) continue;
      if (typeof value !== 'string' || value === '' || value.length > MAX_GLOB_LENGTH) {
        problems.push({
          field: `${at}.${field}`,
          reason: `must be a glob of 1 to ${MAX_GLOB_LENGTH} characters`,
        });
      }
    }
  });
  return problems;
}
