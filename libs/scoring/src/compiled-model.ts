import type {
  CriterionDefinition,
  CriterionLevel,
  DimensionDefinition,
  MaturityModelDefinition,
} from '@app/maturity-model';

/** A criterion with its level, its slot in the per-assessment arrays and its fixed texts. */
export interface IndexedCriterion {
  /** Slot shared by every criterion with the same key (keys are unique in a valid model). */
  slot: number;
  level: CriterionLevel;
  def: CriterionDefinition;
  /** 'Level n - <title>: ' */
  head: string;
  /** Recommendation when the criterion is not met. */
  implementText: string;
  /** Recommendation when nothing is known about the criterion. */
  answerText: string;
}

/** Fixed parts of a dimension's explanation lines (index 0 = level 1 unless said otherwise). */
export interface DimensionTexts {
  gatePassed: [string, string, string];
  gateFailed: [string, string, string];
  nextLevel: [string, string, string];
  score: string;
  topLevel: string;
  /** [target level 0..3][given ? 1 : 0] */
  target: [string, string][];
}

export interface IndexedDimension {
  def: DimensionDefinition;
  /** Criteria ordered by level, then key: the order used everywhere in results. */
  criteria: IndexedCriterion[];
  /** criteria[levelStart[n - 1] .. levelStart[n]) are the criteria of level n (n = 1..3). */
  levelStart: [number, number, number, number];
  texts: DimensionTexts;
}

/** What scoring needs to know about a model, computed once per (frozen) model object. */
export interface IndexedModel {
  dimensions: IndexedDimension[];
  dimensionKeys: Set<string>;
  slotByKey: Map<string, number>;
  slots: number;
}

const cache = new WeakMap<MaturityModelDefinition, IndexedModel>();

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function criterionTexts(
  def: CriterionDefinition,
  level: CriterionLevel,
): Pick<IndexedCriterion, 'head' | 'implementText' | 'answerText'> {
  const head = `Level ${level} - ${def.title}: `;
  const ci =
    def.ciSignal === undefined ? '' : ` CI can prove it: report the check '${def.ciSignal}'.`;
  return {
    head,
    implementText: head + def.guidance + ci,
    answerText:
      `${head}no answer or fresh evidence yet. Find out: ${def.question} ` +
      `If it is not in place: ${def.guidance}${ci}`,
  };
}

function dimensionTexts(key: string, levelStart: readonly number[]): DimensionTexts {
  const levels = [1, 2, 3] as const;
  const count = (n: number) => levelStart[n] - levelStart[n - 1];
  return {
    gatePassed: levels.map(
      (n) => `${key}: level ${n} gate passed (all ${count(n)} criteria met or not applicable)`,
    ) as [string, string, string],
    gateFailed: levels.map((n) => `${key}: level ${n} gate failed on `) as [string, string, string],
    nextLevel: levels.map((n) => `${key}: level ${n} criteria met = `) as [string, string, string],
    score: `${key}: score = level `,
    topLevel: `${key}: level 3 is the top level, score = 3`,
    target: [0, 1, 2, 3].map((t) => [
      `${key}: target level ${t} (level + 1, capped at 3), `,
      `${key}: target level ${t} (given), `,
    ]) as [string, string][],
  };
}

function build(model: MaturityModelDefinition): IndexedModel {
  const slotByKey = new Map<string, number>();
  const dimensions = model.dimensions.map((def): IndexedDimension => {
    const criteria: IndexedCriterion[] = [];
    for (const level of def.levels) {
      // Only levels 1..3 carry criteria (validateModelDefinition rejects any other level).
      if (level.level !== 1 && level.level !== 2 && level.level !== 3) continue;
      for (const criterion of level.criteria) {
        let slot = slotByKey.get(criterion.key);
        if (slot === undefined) {
          slot = slotByKey.size;
          slotByKey.set(criterion.key, slot);
        }
        criteria.push({
          slot,
          level: level.level,
          def: criterion,
          ...criterionTexts(criterion, level.level),
        });
      }
    }
    criteria.sort((a, b) => a.level - b.level || compareKeys(a.def.key, b.def.key));
    const levelStart: [number, number, number, number] = [0, 0, 0, criteria.length];
    for (const n of [1, 2] as const) {
      const first = criteria.findIndex((c) => c.level > n);
      levelStart[n] = first === -1 ? criteria.length : first;
    }
    return { def, criteria, levelStart, texts: dimensionTexts(def.key, levelStart) };
  });
  return {
    dimensions,
    dimensionKeys: new Set(model.dimensions.map((d) => d.key)),
    slotByKey,
    slots: slotByKey.size,
  };
}

/**
 * The model's index. A frozen model (the built-in one, or any passed through
 * `freezeModelDefinition`) is indexed once and the index reused, since it cannot change; any
 * other model is indexed on every call. Either way the result is the same.
 */
export function indexModel(model: MaturityModelDefinition): IndexedModel {
  if (!Object.isFrozen(model)) return build(model);
  let indexed = cache.get(model);
  if (indexed === undefined) {
    indexed = build(model);
    cache.set(model, indexed);
  }
  return indexed;
}
