import type { CriterionLevel } from '@app/maturity-model';
import { type IndexedCriterion, indexModel } from './compiled-model';
import { resolveCriterionStatus } from './evidence';
import { timeOf, toIsoString } from './time';
import type {
  AssessmentAnswer,
  AssessmentResult,
  BandName,
  Conflict,
  CriterionResult,
  CriterionStatus,
  DimensionResult,
  EvidenceItem,
  ExplanationLine,
  Gap,
  IgnoredEvidenceCounts,
  MaturityLevel,
  OverallTerm,
  Recommendation,
  ScoreAssessmentInput,
  StatusCounts,
  UsedEvidence,
} from './types';

/** Band names by level (the seed's level names). */
export const BAND_NAMES: readonly BandName[] = Object.freeze([
  'manual',
  'pipeline automation',
  'CI/CD for ML',
  'full automation',
] as BandName[]);

/** The band of a level: 0 manual, 1 pipeline automation, 2 CI/CD for ML, 3 full automation. */
export function bandForLevel(level: MaturityLevel): BandName {
  return BAND_NAMES[level];
}

/**
 * Every number of a result is rounded with this: to 4 decimals, half away from zero for the
 * non-negative values used here. Rounding is monotonic, so it never reorders two scores.
 */
export function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/** Effective statuses that let a level gate pass. */
export function isSatisfied(status: CriterionStatus): boolean {
  return status === 'met' || status === 'not_applicable';
}

const numberTexts: string[] = [];

/**
 * `String(value)`, memoised for the 4-decimal numbers 0..4 that explanation texts print over and
 * over (converting a double to its shortest decimal form is comparatively slow). For a value v =
 * k / 10000, String(v) is the decimal k / 10000 with trailing zeros dropped, so the cache, keyed
 * by k, never changes the output.
 */
function num(value: number): string {
  const k = Math.round(value * 10000);
  if (k < 0 || k > 40000 || k / 10000 !== value) return String(value);
  let text = numberTexts[k];
  if (text === undefined) {
    text = String(value);
    numberTexts[k] = text;
  }
  return text;
}

/** Highest fraction a dimension that failed its next gate can show (it never rounds up to 1). */
const MAX_PARTIAL_FRACTION = 0.9999;
const NO_EVIDENCE: readonly EvidenceItem[] = Object.freeze([]);

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isTargetLevel(value: unknown): value is MaturityLevel {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

function usedEvidence(item: EvidenceItem): UsedEvidence {
  return {
    passed: item.passed,
    // Valid dates here: resolveCriterionStatus only lets fresh (hence valid) evidence decide.
    observedAt: toIsoString(item.observedAt.getTime()),
    expiresAt: item.expiresAt === null ? null : toIsoString(item.expiresAt.getTime()),
    sourceUrl: item.sourceUrl ?? null,
  };
}

function describeEvidence(e: UsedEvidence): string {
  return (
    `${e.passed ? 'passing' : 'failing'} evidence observed ${e.observedAt}` +
    (e.expiresAt === null ? ', no expiry' : `, expires ${e.expiresAt}`) +
    (e.sourceUrl === null ? '' : ` (${e.sourceUrl})`)
  );
}

function recommendationFor(
  located: IndexedCriterion,
  status: 'not_met' | 'unknown',
  criterion: CriterionResult,
): Recommendation {
  const { def, level } = located;
  if (criterion.conflict && criterion.evidence !== null) {
    return {
      criterionKey: def.key,
      level,
      kind: 'resolve_conflict',
      text:
        `${located.head}answered '${criterion.answerStatus}' but ` +
        `${describeEvidence(criterion.evidence)} says otherwise. Fix what makes the check fail, ` +
        `or correct the answer. ${def.guidance}`,
    };
  }
  return status === 'unknown'
    ? { criterionKey: def.key, level, kind: 'answer', text: located.answerText }
    : { criterionKey: def.key, level, kind: 'implement', text: located.implementText };
}

/** 'none', or the non-zero counts, e.g. '1 expired, 2 superseded'. */
function describeIgnored(ig: Readonly<IgnoredEvidenceCounts>): string {
  let text = '';
  if (ig.expired > 0) text += `, ${ig.expired} expired`;
  if (ig.notYetObserved > 0) text += `, ${ig.notYetObserved} observed after asOf`;
  if (ig.superseded > 0) text += `, ${ig.superseded} superseded`;
  if (ig.humanOnly > 0) text += `, ${ig.humanOnly} on a human-only criterion`;
  if (ig.invalid > 0) text += `, ${ig.invalid} with invalid dates`;
  return text === '' ? 'none' : text.slice(2);
}

/**
 * Scores an assessment of one team against one model version. Pure: the result depends only on
 * the input (no clock, no I/O, no randomness), and ties are broken by keys, never by Map or input
 * order. The rules (see libs/scoring/README.md):
 *
 * - Each criterion's effective status comes from `resolveCriterionStatus` (the evidence rules).
 *   Answers for criteria the model does not have are ignored; of several answers for the same
 *   criterion the last one counts. Both are reported in the explanation.
 * - Gating: a dimension holds level n only when every criterion of levels 1..n is met or not
 *   applicable. One unmet level-1 criterion keeps it at level 0 whatever else is met.
 * - Score: level + (weight of met criteria of level+1) / (weight of its applicable criteria),
 *   n.a. criteria left out of both; a dimension at level 3 scores 3. The fraction is rounded to
 *   4 decimals and capped at 0.9999 so the score never shows the next level before its gate is
 *   passed. (If all criteria of level+1 were n.a., its gate would have passed, so the
 *   denominator is never empty.)
 * - Target level: given per dimension, else level + 1 capped at 3. Gaps: criteria of levels
 *   1..target that are not_met or unknown, by level then key; one recommendation per gap.
 * - Overall score: sum(dimension weight x rounded dimension score) / sum(dimension weights),
 *   rounded to 4 decimals. Minimum level: the weakest dimension's level; band named after it.
 *
 * Expects a model that passes `validateModelDefinition` (levels are looked up by number; a
 * missing level has no criteria and is passed vacuously). A frozen model is indexed once and the
 * index reused. Throws TypeError on an invalid `asOf` and RangeError on a target level outside
 * 0..3.
 */
export function scoreAssessment(input: ScoreAssessmentInput): AssessmentResult {
  const { model, asOf } = input;
  const asOfMs = timeOf(asOf);
  if (Number.isNaN(asOfMs)) throw new TypeError('asOf must be a valid Date');
  const indexed = indexModel(model);
  const explanation: ExplanationLine[] = [];

  // Answers by slot: the last answer per criterion wins; unknown criteria are reported.
  const answerAt: (AssessmentAnswer | undefined)[] = new Array<AssessmentAnswer | undefined>(
    indexed.slots,
  );
  for (const answer of input.answers) {
    const slot = indexed.slotByKey.get(answer.criterionKey);
    if (slot === undefined) {
      explanation.push({
        kind: 'answer_ignored',
        criterionKey: answer.criterionKey,
        reason: 'unknown_criterion',
        text: `answer for '${answer.criterionKey}' ignored: the model has no such criterion`,
      });
      continue;
    }
    if (answerAt[slot] !== undefined) {
      explanation.push({
        kind: 'answer_ignored',
        criterionKey: answer.criterionKey,
        reason: 'duplicate',
        text: `an earlier answer for '${answer.criterionKey}' was replaced by a later one`,
      });
    }
    answerAt[slot] = answer;
  }

  // Evidence by slot; evidence about unknown criteria is counted and reported by key.
  const evidenceAt: (EvidenceItem[] | undefined)[] = new Array<EvidenceItem[] | undefined>(
    indexed.slots,
  );
  let unknownEvidence: Map<string, number> | undefined;
  for (const item of input.evidence ?? NO_EVIDENCE) {
    const slot = indexed.slotByKey.get(item.criterionKey);
    if (slot === undefined) {
      unknownEvidence ??= new Map<string, number>();
      unknownEvidence.set(item.criterionKey, (unknownEvidence.get(item.criterionKey) ?? 0) + 1);
      continue;
    }
    const list = evidenceAt[slot];
    if (list === undefined) evidenceAt[slot] = [item];
    else list.push(item);
  }
  if (unknownEvidence !== undefined) {
    for (const key of [...unknownEvidence.keys()].sort(compareKeys)) {
      const count = unknownEvidence.get(key) ?? 0;
      explanation.push({
        kind: 'evidence_ignored',
        criterionKey: key,
        count,
        text: `${count} evidence item(s) for '${key}' ignored: the model has no such criterion`,
      });
    }
  }

  const targetLevels = input.targetLevels ?? {};
  for (const key of Object.keys(targetLevels).sort(compareKeys)) {
    const target: unknown = targetLevels[key];
    if (target === undefined) continue; // same as not given
    if (!isTargetLevel(target)) {
      throw new RangeError(`target level for '${key}' must be 0, 1, 2 or 3`);
    }
    if (!indexed.dimensionKeys.has(key)) {
      explanation.push({
        kind: 'target_ignored',
        dimensionKey: key,
        text: `target level for '${key}' ignored: the model has no such dimension`,
      });
    }
  }

  const dimensions: DimensionResult[] = [];
  const conflicts: Conflict[] = [];

  for (const { def: dimension, criteria: located, levelStart, texts } of indexed.dimensions) {
    const dKey = dimension.key;
    const criteria: CriterionResult[] = new Array<CriterionResult>(located.length);
    const counts: StatusCounts = { met: 0, notMet: 0, notApplicable: 0, unknown: 0 };

    for (let i = 0; i < located.length; i++) {
      const { slot, level, def } = located[i];
      const answer = answerAt[slot];
      const items = evidenceAt[slot] ?? NO_EVIDENCE;
      const r = resolveCriterionStatus(answer?.status, items, asOfMs, def.evidence);
      const used = r.decidingEvidence === null ? null : usedEvidence(r.decidingEvidence);
      const result: CriterionResult = {
        key: def.key,
        level,
        title: def.title,
        weight: def.weight,
        evidenceMode: def.evidence,
        status: r.status,
        answerStatus: r.answerStatus,
        source: r.source,
        conflict: r.conflict,
        evidence: used,
      };
      if (answer !== undefined) {
        if (answer.note !== undefined) result.note = answer.note;
        if (answer.evidenceUrl !== undefined) result.evidenceUrl = answer.evidenceUrl;
      }
      criteria[i] = result;

      if (r.status === 'met') counts.met++;
      else if (r.status === 'not_met') counts.notMet++;
      else if (r.status === 'not_applicable') counts.notApplicable++;
      else counts.unknown++;

      if (items.length > 0) {
        const ig = r.ignored;
        const decided =
          used === null
            ? `no fresh evidence, the answer '${r.answerStatus}' decides`
            : `${describeEvidence(used)} decides '${r.status}'` +
              (r.conflict ? `, contradicting the answer '${r.answerStatus}' (conflict)` : '');
        explanation.push({
          kind: 'criterion_evidence',
          dimensionKey: dKey,
          criterionKey: def.key,
          status: r.status,
          answerStatus: r.answerStatus,
          source: r.source,
          conflict: r.conflict,
          used,
          ignored: ig,
          text: `${def.key}: ${decided}; ignored: ${describeIgnored(ig)}`,
        });
      }
      if (r.conflict && used !== null) {
        const answered = r.answerStatus === 'met' ? 'met' : 'not_applicable';
        conflicts.push({
          criterionKey: def.key,
          dimensionKey: dKey,
          level,
          answerStatus: answered,
          evidence: used,
          message:
            `'${def.key}' was answered '${answered}' but ${describeEvidence(used)}; ` +
            'it counts as not met until the check passes or the evidence expires',
        });
      }
    }

    // Gating: climb while every criterion of the level is met or not applicable.
    let level: MaturityLevel = 0;
    for (let gate = 1 as CriterionLevel; gate <= 3; gate++) {
      const from = levelStart[gate - 1];
      const to = levelStart[gate];
      let blocking: string[] | undefined;
      for (let i = from; i < to; i++) {
        if (!isSatisfied(criteria[i].status)) (blocking ??= []).push(criteria[i].key);
      }
      if (blocking === undefined) {
        level = gate;
        explanation.push({
          kind: 'level_gate',
          dimensionKey: dKey,
          level: gate,
          passed: true,
          blocking: [],
          text: texts.gatePassed[gate - 1],
        });
        continue;
      }
      explanation.push({
        kind: 'level_gate',
        dimensionKey: dKey,
        level: gate,
        passed: false,
        blocking,
        text: texts.gateFailed[gate - 1] + blocking.join(', '),
      });
      break;
    }

    // Continuous score: the weighted fraction of the next level's applicable criteria met.
    let fraction = 0;
    if (level < 3) {
      const next = (level + 1) as CriterionLevel;
      let metWeight = 0;
      let applicableWeight = 0;
      const met: string[] = [];
      const notMet: string[] = [];
      const notApplicable: string[] = [];
      for (let i = levelStart[next - 1]; i < levelStart[next]; i++) {
        const c = criteria[i];
        if (c.status === 'not_applicable') {
          notApplicable.push(c.key);
          continue;
        }
        applicableWeight += c.weight;
        if (c.status === 'met') {
          metWeight += c.weight;
          met.push(c.key);
        } else {
          notMet.push(c.key);
        }
      }
      fraction =
        applicableWeight > 0
          ? Math.min(round4(metWeight / applicableWeight), MAX_PARTIAL_FRACTION)
          : 0;
      const mw = round4(metWeight);
      const aw = round4(applicableWeight);
      explanation.push({
        kind: 'next_level',
        dimensionKey: dKey,
        level: next,
        metWeight: mw,
        applicableWeight: aw,
        fraction,
        met,
        notMet,
        notApplicable,
        text:
          `${texts.nextLevel[next - 1]}${num(mw)}/${num(aw)} weight = ${num(fraction)}` +
          (notApplicable.length > 0
            ? ` (not applicable, left out: ${notApplicable.join(', ')})`
            : ''),
      });
    }
    const score = level === 3 ? 3 : round4(level + fraction);
    explanation.push({
      kind: 'dimension_score',
      dimensionKey: dKey,
      level,
      fraction,
      score,
      text:
        level === 3
          ? texts.topLevel
          : `${texts.score}${level} + fraction ${num(fraction)} = ${num(score)}`,
    });

    // Target, gaps and recommendations.
    const given = targetLevels[dKey];
    const isGiven = isTargetLevel(given);
    const targetLevel: MaturityLevel = isGiven ? given : (Math.min(level + 1, 3) as MaturityLevel);
    const gaps: Gap[] = [];
    const recommendations: Recommendation[] = [];
    for (let i = 0; i < levelStart[targetLevel]; i++) {
      const c = criteria[i];
      if (c.status !== 'not_met' && c.status !== 'unknown') continue;
      const def = located[i].def;
      const status = c.status;
      const gap: Gap = {
        key: c.key,
        level: c.level,
        title: def.title,
        question: def.question,
        guidance: def.guidance,
        weight: def.weight,
        status,
        conflict: c.conflict,
        evidenceMode: def.evidence,
        ciSignal: def.ciSignal ?? null,
      };
      gaps.push(gap);
      recommendations.push(recommendationFor(located[i], status, c));
    }
    explanation.push({
      kind: 'target',
      dimensionKey: dKey,
      targetLevel,
      given: isGiven,
      gaps: gaps.length,
      text: `${texts.target[targetLevel][isGiven ? 1 : 0]}${gaps.length} gap(s)`,
    });

    dimensions.push({
      dimensionKey: dKey,
      name: dimension.name,
      weight: dimension.weight,
      level,
      score,
      counts,
      targetLevel,
      gaps,
      recommendations,
      criteria,
    });
  }

  // Overall score: weighted mean of the (rounded) dimension scores.
  const terms: OverallTerm[] = [];
  let weightedSum = 0;
  let weightSum = 0;
  let formula = '';
  for (const d of dimensions) {
    terms.push({ dimensionKey: d.dimensionKey, weight: d.weight, score: d.score });
    weightedSum += d.weight * d.score;
    weightSum += d.weight;
    formula += `${formula === '' ? '' : ' + '}${num(d.weight)} x ${num(d.score)}`;
  }
  const score = weightSum > 0 ? Math.min(3, Math.max(0, round4(weightedSum / weightSum))) : 0;
  explanation.push({
    kind: 'overall_score',
    terms,
    weightedSum: round4(weightedSum),
    weightSum: round4(weightSum),
    score,
    text: `overall score = (${formula}) / ${num(round4(weightSum))} = ${num(score)}`,
  });

  // Minimum level (the weakest dimension) and its band.
  let minimumLevel: MaturityLevel = dimensions.length === 0 ? 0 : 3;
  for (const d of dimensions) if (d.level < minimumLevel) minimumLevel = d.level;
  const weakest: string[] = [];
  for (const d of dimensions) if (d.level === minimumLevel) weakest.push(d.dimensionKey);
  const band = BAND_NAMES[minimumLevel];
  explanation.push({
    kind: 'minimum_level',
    level: minimumLevel,
    band,
    dimensionKeys: weakest,
    text: `minimum level ${minimumLevel} ('${band}'), held by ${weakest.join(', ') || 'no dimension'}`,
  });

  return {
    modelKey: model.key,
    modelVersion: model.version,
    asOf: toIsoString(asOfMs),
    score,
    minimumLevel,
    band,
    dimensions,
    conflicts,
    explanation,
  };
}
