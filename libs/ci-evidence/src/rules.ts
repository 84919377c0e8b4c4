import { isSafePattern } from 'redos-detector';
import type { MappingRule } from './types';

export const MAX_RULES = 50;
export const MAX_RULE_PATTERN_LENGTH = 200;
export const MAX_GLOB_LENGTH = 200;
/**
 * redos-detector's budget per pattern, in steps rather than milliseconds, so the verdict is the
 * same on a busy machine as on an idle one; a pattern it cannot prove safe within it is refused.
 */
const REDOS_CHECK_MAX_STEPS = 20_000;

export type CompiledRule = { regex: RegExp } | { error: string };

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
    const check = isSafePattern(`^(?:${pattern})`, { maxSteps: REDOS_CHECK_MAX_STEPS });
    if (!check.safe) {
      return {
        error: `may backtrack catastrophically (ReDoS; ${check.error ?? 'unsafe'}): simplify it`,
      };
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
