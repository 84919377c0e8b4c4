import type { CriterionLevel } from '@app/maturity-model';
import { round4 } from './score';
import type {
  AssessmentResult,
  CriterionResult,
  CriterionStatus,
  DimensionResult,
  MaturityLevel,
  StatusSource,
} from './types';

export interface CriterionStatusChange {
  criterionKey: string;
  dimensionKey: string;
  /** Level in `after` (in `before` when the criterion is only there). */
  level: CriterionLevel;
  /** null: the criterion is not in `before`. */
  statusBefore: CriterionStatus | null;
  /** null: the criterion is not in `after`. */
  statusAfter: CriterionStatus | null;
  sourceBefore: StatusSource | null;
  sourceAfter: StatusSource | null;
}

export interface DimensionScoreChange {
  dimensionKey: string;
  /** null: the dimension is not in `before`. */
  scoreBefore: number | null;
  /** null: the dimension is not in `after`. */
  scoreAfter: number | null;
  levelBefore: MaturityLevel | null;
  levelAfter: MaturityLevel | null;
  /** Why the score moved; empty when nothing about the dimension changed. */
  reasons: string[];
}

export interface AssessmentResultDiff {
  scoreBefore: number;
  scoreAfter: number;
  minimumLevelBefore: MaturityLevel;
  minimumLevelAfter: MaturityLevel;
  /** Criteria whose effective status changed, appeared or disappeared. */
  criteria: CriterionStatusChange[];
  /** Every dimension of either result: `after`'s order, then those only in `before`. */
  dimensions: DimensionScoreChange[];
}

function compareCriteria(a: CriterionResult, b: CriterionResult): number {
  return a.level - b.level || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

function diffDimension(
  key: string,
  before: DimensionResult | undefined,
  after: DimensionResult | undefined,
  changes: CriterionStatusChange[],
): DimensionScoreChange {
  const reasons: string[] = [];
  const result: DimensionScoreChange = {
    dimensionKey: key,
    scoreBefore: before?.score ?? null,
    scoreAfter: after?.score ?? null,
    levelBefore: before?.level ?? null,
    levelAfter: after?.level ?? null,
    reasons,
  };
  if (before === undefined && after !== undefined) {
    reasons.push(`dimension added: level ${after.level}, score ${after.score}`);
  } else if (before !== undefined && after === undefined) {
    reasons.push(`dimension removed (was level ${before.level}, score ${before.score})`);
  }

  const criteriaBefore = new Map((before?.criteria ?? []).map((c) => [c.key, c]));
  const criteriaAfter = new Map((after?.criteria ?? []).map((c) => [c.key, c]));
  const all = [
    ...(after?.criteria ?? []),
    ...(before?.criteria ?? []).filter((c) => !criteriaAfter.has(c.key)),
  ].sort(compareCriteria);

  const details: string[] = [];
  for (const c of all) {
    const b = criteriaBefore.get(c.key);
    const a = criteriaAfter.get(c.key);
    if (b === undefined && a !== undefined) {
      details.push(`${c.key} (level ${a.level}) added to the model: ${a.status} (${a.source})`);
    } else if (b !== undefined && a === undefined) {
      details.push(`${c.key} (level ${b.level}) removed from the model (was ${b.status})`);
    } else if (b !== undefined && a !== undefined) {
      if (b.status !== a.status) {
        details.push(
          `${c.key} (level ${a.level}): ${b.status} -> ${a.status} (source ${b.source} -> ${a.source})`,
        );
      }
      if (b.conflict !== a.conflict) {
        details.push(`${c.key}: conflict ${a.conflict ? 'appeared' : 'resolved'}`);
      }
      if (b.level !== a.level) details.push(`${c.key}: moved from level ${b.level} to ${a.level}`);
      if (b.weight !== a.weight) details.push(`${c.key}: weight ${b.weight} -> ${a.weight}`);
    }
    if ((b?.status ?? null) !== (a?.status ?? null)) {
      changes.push({
        criterionKey: c.key,
        dimensionKey: key,
        level: (a ?? c).level,
        statusBefore: b?.status ?? null,
        statusAfter: a?.status ?? null,
        sourceBefore: b?.source ?? null,
        sourceAfter: a?.source ?? null,
      });
    }
  }

  if (before !== undefined && after !== undefined) {
    const moved = before.score !== after.score || before.level !== after.level;
    if (moved) {
      reasons.push(
        `score ${before.score} -> ${after.score} (${signed(round4(after.score - before.score))}), ` +
          `level ${before.level} -> ${after.level}`,
      );
    }
    if (after.level > before.level) {
      for (let n = before.level + 1; n <= after.level; n++) {
        reasons.push(`level ${n} gate now passes`);
      }
    } else if (after.level < before.level) {
      const gate = after.level + 1;
      const blocking = after.criteria
        .filter((c) => c.level === gate && c.status !== 'met' && c.status !== 'not_applicable')
        .map((c) => c.key);
      reasons.push(`level ${gate} gate now fails on ${blocking.join(', ')}`);
    }
    reasons.push(...details);
    if (before.weight !== after.weight) {
      reasons.push(
        `dimension weight ${before.weight} -> ${after.weight} (changes the overall score only)`,
      );
    }
    if (moved && details.length === 0) {
      reasons.push('no criterion status, level or weight changed (model structure changed)');
    }
  } else {
    reasons.push(...details);
  }
  return result;
}

/**
 * Compares two results (e.g. last quarter's and this quarter's assessment of a team, or the same
 * answers scored against two model versions) and explains every movement. Dimensions and criteria
 * are matched by key; those present in only one result are reported with null on the other side.
 * Deterministic order: dimensions in `after`'s order then the ones only in `before`; criteria by
 * dimension, then level, then key.
 */
export function diffAssessmentResults(
  before: AssessmentResult,
  after: AssessmentResult,
): AssessmentResultDiff {
  const dimsBefore = new Map(before.dimensions.map((d) => [d.dimensionKey, d]));
  const dimsAfter = new Map(after.dimensions.map((d) => [d.dimensionKey, d]));
  const keys = [
    ...after.dimensions.map((d) => d.dimensionKey),
    ...before.dimensions.map((d) => d.dimensionKey).filter((k) => !dimsAfter.has(k)),
  ];
  const criteria: CriterionStatusChange[] = [];
  const dimensions = keys.map((key) =>
    diffDimension(key, dimsBefore.get(key), dimsAfter.get(key), criteria),
  );
  return {
    scoreBefore: before.score,
    scoreAfter: after.score,
    minimumLevelBefore: before.minimumLevel,
    minimumLevelAfter: after.minimumLevel,
    criteria,
    dimensions,
  };
}
