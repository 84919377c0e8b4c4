import type { MaturityModelDefinition } from './types';

const DIMENSION_KEY = /^[a-z][a-z0-9_]*$/;
const CRITERION_NAME = /^[a-z][a-z0-9_]*$/;
const CI_SIGNAL = /^mlops:[a-z0-9]+(?:-[a-z0-9]+)*$/;
const EVIDENCE_MODES: readonly string[] = ['ci', 'human', 'both'];
const REQUIRED_LEVELS = [1, 2, 3] as const;

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

function isPositiveWeight(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * Checks a model definition and returns its problems, one human-readable string each, prefixed
 * with the path of the offending element (e.g. `dimensions[2].levels[0].criteria[1]`). An empty
 * list means the model can be published and scored. Checked:
 * - model key, name and description not empty, version a positive integer, at least one dimension;
 * - dimension keys snake_case and unique, names not empty, weights finite and > 0;
 * - every dimension has exactly one level 1, 2 and 3 (no other levels), each with >= 1 criterion;
 * - criterion keys `<dimension key>.<snake_case>` and unique across the model;
 * - criterion title, question and guidance not empty, weight finite and > 0;
 * - evidence is 'ci' | 'human' | 'both'; ci/both need a ciSignal `mlops:<kebab-name>`, unique
 *   across the model; a human-only criterion has no ciSignal (scoring ignores its CI evidence);
 * - evidenceFreshnessDays, when given, an integer 1..3650;
 * - at least one source per criterion.
 * The order of problems follows the order of the definition, so it is deterministic.
 */
export function validateModelDefinition(def: MaturityModelDefinition): string[] {
  const problems: string[] = [];
  if (isBlank(def.key)) problems.push('key: must not be empty');
  if (isBlank(def.name)) problems.push('name: must not be empty');
  if (isBlank(def.description)) problems.push('description: must not be empty');
  if (!Number.isInteger(def.version) || def.version < 1) {
    problems.push(`version: must be a positive integer (got ${String(def.version)})`);
  }
  if (!Array.isArray(def.dimensions) || def.dimensions.length === 0) {
    problems.push('dimensions: at least one dimension is required');
    return problems;
  }

  const dimensionKeys = new Set<string>();
  const criterionKeys = new Map<string, string>();
  const ciSignals = new Map<string, string>();

  def.dimensions.forEach((dimension, d) => {
    const dPath = `dimensions[${d}] (${dimension.key})`;
    if (!DIMENSION_KEY.test(dimension.key ?? '')) {
      problems.push(`${dPath}: key must be snake_case`);
    } else if (dimensionKeys.has(dimension.key)) {
      problems.push(`${dPath}: duplicate dimension key '${dimension.key}'`);
    }
    dimensionKeys.add(dimension.key);
    if (isBlank(dimension.name)) problems.push(`${dPath}: name must not be empty`);
    if (!isPositiveWeight(dimension.weight)) {
      problems.push(`${dPath}: weight must be > 0 (got ${String(dimension.weight)})`);
    }

    const levels = Array.isArray(dimension.levels) ? dimension.levels : [];
    for (const required of REQUIRED_LEVELS) {
      const count = levels.filter((l) => l.level === required).length;
      if (count === 0) problems.push(`${dPath}: missing level ${required}`);
      if (count > 1) problems.push(`${dPath}: level ${required} is defined ${count} times`);
    }

    levels.forEach((level, l) => {
      const lPath = `${dPath}.levels[${l}]`;
      if (!(REQUIRED_LEVELS as readonly number[]).includes(level.level)) {
        problems.push(`${lPath}: level must be 1, 2 or 3 (got ${String(level.level)})`);
      }
      if (isBlank(level.name)) problems.push(`${lPath}: name must not be empty`);
      const criteria = Array.isArray(level.criteria) ? level.criteria : [];
      if (criteria.length === 0) {
        problems.push(`${lPath}: level ${String(level.level)} has no criteria`);
      }

      criteria.forEach((criterion, c) => {
        const cPath = `${lPath}.criteria[${c}] (${criterion.key})`;
        const prefix = `${dimension.key}.`;
        const key = criterion.key ?? '';
        if (!key.startsWith(prefix)) {
          problems.push(`${cPath}: key must start with its dimension key '${prefix}'`);
        } else if (!CRITERION_NAME.test(key.slice(prefix.length))) {
          problems.push(`${cPath}: key must be '${prefix}<snake_case name>'`);
        }
        const seenIn = criterionKeys.get(key);
        if (seenIn !== undefined) {
          problems.push(`${cPath}: duplicate criterion key '${key}' (also in ${seenIn})`);
        } else {
          criterionKeys.set(key, cPath);
        }
        if (isBlank(criterion.title)) problems.push(`${cPath}: title must not be empty`);
        if (isBlank(criterion.question)) problems.push(`${cPath}: question must not be empty`);
        if (isBlank(criterion.guidance)) problems.push(`${cPath}: guidance must not be empty`);
        if (!isPositiveWeight(criterion.weight)) {
          problems.push(`${cPath}: weight must be > 0 (got ${String(criterion.weight)})`);
        }
        if (!EVIDENCE_MODES.includes(criterion.evidence)) {
          problems.push(
            `${cPath}: evidence must be 'ci', 'human' or 'both' (got ${String(criterion.evidence)})`,
          );
        }
        if (criterion.evidence === 'ci' || criterion.evidence === 'both') {
          if (isBlank(criterion.ciSignal)) {
            problems.push(`${cPath}: evidence '${criterion.evidence}' requires a ciSignal`);
          }
        } else if (criterion.evidence === 'human' && criterion.ciSignal !== undefined) {
          problems.push(`${cPath}: a human-only criterion must not have a ciSignal`);
        }
        if (criterion.ciSignal !== undefined && !isBlank(criterion.ciSignal)) {
          const signal = criterion.ciSignal;
          if (!CI_SIGNAL.test(signal)) {
            problems.push(`${cPath}: ciSignal '${signal}' must look like 'mlops:<kebab-name>'`);
          }
          const signalIn = ciSignals.get(signal);
          if (signalIn !== undefined) {
            problems.push(`${cPath}: duplicate ciSignal '${signal}' (also in ${signalIn})`);
          } else {
            ciSignals.set(signal, cPath);
          }
        }
        const freshness = criterion.evidenceFreshnessDays;
        if (
          freshness !== undefined &&
          !(Number.isInteger(freshness) && freshness >= 1 && freshness <= 3650)
        ) {
          problems.push(
            `${cPath}: evidenceFreshnessDays must be an integer 1..3650 (got ${String(freshness)})`,
          );
        }
        if (!Array.isArray(criterion.sources) || criterion.sources.length === 0) {
          problems.push(`${cPath}: at least one source is required`);
        }
      });
    });
  });
  return problems;
}

/** Throws an Error listing every problem when `def` is not a valid model definition. */
export function assertValidModelDefinition(def: MaturityModelDefinition): void {
  const problems = validateModelDefinition(def);
  if (problems.length > 0) {
    throw new Error(`Invalid maturity model '${def.key}':\n- ${problems.join('\n- ')}`);
  }
}
