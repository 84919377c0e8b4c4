import type {
  CriterionDefinition,
  CriterionLevel,
  DimensionDefinition,
  MaturityModelDefinition,
} from './types';

export type ModelChangeKind =
  | 'dimension_added'
  | 'dimension_removed'
  | 'dimension_changed'
  | 'criterion_added'
  | 'criterion_removed'
  | 'criterion_changed';

export interface ModelChange {
  kind: ModelChangeKind;
  /** Dimension key for dimension_* changes, criterion key for criterion_* changes. */
  key: string;
  /** For *_changed: the fields that differ, sorted (e.g. ['question', 'weight']). */
  fields?: string[];
  /** For criterion_*: the criterion's level (in `b`, or in `a` when removed). */
  level?: CriterionLevel;
}

const DIMENSION_FIELDS = ['name', 'description', 'weight'] as const;
const LEVEL_FIELDS = ['name', 'description'] as const;
const CRITERION_FIELDS = [
  'title',
  'question',
  'guidance',
  'weight',
  'evidence',
  'ciSignal',
] as const;

interface LocatedCriterion {
  dimensionKey: string;
  level: CriterionLevel;
  criterion: CriterionDefinition;
}

function indexCriteria(def: MaturityModelDefinition): Map<string, LocatedCriterion> {
  const index = new Map<string, LocatedCriterion>();
  for (const dimension of def.dimensions) {
    for (const level of dimension.levels) {
      for (const criterion of level.criteria) {
        if (!index.has(criterion.key)) {
          index.set(criterion.key, { dimensionKey: dimension.key, level: level.level, criterion });
        }
      }
    }
  }
  return index;
}

function indexDimensions(def: MaturityModelDefinition): Map<string, DimensionDefinition> {
  const index = new Map<string, DimensionDefinition>();
  for (const dimension of def.dimensions) {
    if (!index.has(dimension.key)) index.set(dimension.key, dimension);
  }
  return index;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((value, i) => value === y[i]);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dimensionFieldChanges(a: DimensionDefinition, b: DimensionDefinition): string[] {
  const fields: string[] = [];
  for (const field of DIMENSION_FIELDS) {
    if (a[field] !== b[field]) fields.push(field);
  }
  for (const level of [1, 2, 3] as const) {
    const la = a.levels.find((l) => l.level === level);
    const lb = b.levels.find((l) => l.level === level);
    if (la === undefined || lb === undefined) {
      if (la !== lb) fields.push(`levels.${level}`);
      continue;
    }
    for (const field of LEVEL_FIELDS) {
      if (la[field] !== lb[field]) fields.push(`levels.${level}.${field}`);
    }
  }
  return fields.sort(compareStrings);
}

function criterionFieldChanges(a: LocatedCriterion, b: LocatedCriterion): string[] {
  const fields: string[] = [];
  for (const field of CRITERION_FIELDS) {
    if (a.criterion[field] !== b.criterion[field]) fields.push(field);
  }
  if (!sameList(a.criterion.sources, b.criterion.sources)) fields.push('sources');
  if (a.level !== b.level) fields.push('level');
  if (a.dimensionKey !== b.dimensionKey) fields.push('dimension');
  return fields.sort(compareStrings);
}

/**
 * What changed from model `a` to model `b` (e.g. a published version and an edited draft).
 * Dimensions are matched by key and criteria by key (across the whole model, so a criterion moved
 * to another level shows as changed with field 'level'). Criterion order inside a level is not a
 * change. Model-level fields (key, name, version, description) are not reported.
 *
 * Order (deterministic): dimensions sorted by key; each dimension's own change first, then its
 * criteria's changes sorted by key. A criterion is listed under its dimension in `b` (or in `a`
 * when removed).
 */
export function diffModelDefinitions(
  a: MaturityModelDefinition,
  b: MaturityModelDefinition,
): ModelChange[] {
  const dimsA = indexDimensions(a);
  const dimsB = indexDimensions(b);
  const critA = indexCriteria(a);
  const critB = indexCriteria(b);

  const byDimension = new Map<string, ModelChange[]>();
  const push = (dimensionKey: string, change: ModelChange): void => {
    const list = byDimension.get(dimensionKey);
    if (list) list.push(change);
    else byDimension.set(dimensionKey, [change]);
  };

  for (const [key, before] of critA) {
    const after = critB.get(key);
    if (after === undefined) {
      push(before.dimensionKey, { kind: 'criterion_removed', key, level: before.level });
      continue;
    }
    const fields = criterionFieldChanges(before, after);
    if (fields.length > 0) {
      push(after.dimensionKey, { kind: 'criterion_changed', key, fields, level: after.level });
    }
  }
  for (const [key, after] of critB) {
    if (!critA.has(key)) {
      push(after.dimensionKey, { kind: 'criterion_added', key, level: after.level });
    }
  }

  const dimensionKeys = [
    ...new Set([...dimsA.keys(), ...dimsB.keys(), ...byDimension.keys()]),
  ].sort(compareStrings);
  const changes: ModelChange[] = [];
  for (const key of dimensionKeys) {
    const before = dimsA.get(key);
    const after = dimsB.get(key);
    if (before === undefined && after !== undefined) {
      changes.push({ kind: 'dimension_added', key });
    } else if (before !== undefined && after === undefined) {
      changes.push({ kind: 'dimension_removed', key });
    } else if (before !== undefined && after !== undefined) {
      const fields = dimensionFieldChanges(before, after);
      if (fields.length > 0) changes.push({ kind: 'dimension_changed', key, fields });
    }
    const criterionChanges = byDimension.get(key) ?? [];
    criterionChanges.sort((x, y) => compareStrings(x.key, y.key));
    changes.push(...criterionChanges);
  }
  return changes;
}
