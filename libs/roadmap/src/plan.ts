import type { CriterionLevel, MaturityModelDefinition } from '@app/maturity-model';
import { type CriterionStatus, isSatisfied, type MaturityLevel } from '@app/scoring';

export type RoadmapPhase = 'short' | 'medium' | 'long';
export const ROADMAP_PHASES: readonly RoadmapPhase[] = ['short', 'medium', 'long'];

/** An unmet criterion a roadmap must close, with what the team needs to act on it. */
export interface RoadmapCandidate {
  criterionKey: string;
  dimensionKey: string;
  level: CriterionLevel;
  weight: number;
  title: string;
  /** The criterion's guidance: what "met" looks like. */
  why: string;
  ciSignal: string | null;
}

export interface PlannedItem extends RoadmapCandidate {
  /** 0-based place in the roadmap. */
  position: number;
  phase: RoadmapPhase;
  /** Whole months after the start the item is due by (1..horizon). */
  dueMonth: number;
  /** YYYY-MM-DD. */
  dueOn: string;
}

export interface PlanRoadmapInput {
  candidates: readonly RoadmapCandidate[];
  /** Current score per dimension (0..3); a missing dimension counts as 0 (the weakest). */
  dimensionScores: Readonly<Partial<Record<string, number>>>;
  /** YYYY-MM-DD (UTC calendar date). */
  startsOn: string;
  horizonMonths: number;
}

/**
 * The unmet criteria (not met or unknown, i.e. neither met nor not applicable) of levels
 * 1..target of every dimension that has a target level; dimensions without one get no items.
 * A criterion the statuses do not mention is unknown, hence unmet.
 */
export function roadmapCandidates(
  model: MaturityModelDefinition,
  statuses: ReadonlyMap<string, CriterionStatus>,
  targetLevels: Readonly<Partial<Record<string, MaturityLevel>>>,
): RoadmapCandidate[] {
  const candidates: RoadmapCandidate[] = [];
  for (const dimension of model.dimensions) {
    const target = targetLevels[dimension.key] ?? 0;
    for (const level of dimension.levels) {
      if (level.level > target) continue;
      for (const criterion of level.criteria) {
        if (isSatisfied(statuses.get(criterion.key) ?? 'unknown')) continue;
        candidates.push({
          criterionKey: criterion.key,
          dimensionKey: dimension.key,
          level: level.level,
          weight: criterion.weight,
          title: criterion.title,
          why: criterion.guidance,
          ciSignal: criterion.ciSignal ?? null,
        });
      }
    }
  }
  return candidates;
}

/**
 * The order of a roadmap, as a total order (so the input order never matters):
 * 1. level, lowest first: no item of level n+1 of a dimension can come before an open item of
 *    level n of that dimension (a level is only reached when every lower level is met, so the
 *    higher item would not count yet). Ordering by level across dimensions too keeps the roadmap
 *    balanced: every dimension's next level comes before any dimension's level after that;
 * 2. within a level, the weakest dimension first (lowest current score, a missing one counts 0);
 * 3. then the heavier criterion first (it moves the dimension's score more);
 * 4. then dimension key and criterion key, so ties are broken the same way every time.
 */
export function orderRoadmap(
  candidates: readonly RoadmapCandidate[],
  dimensionScores: Readonly<Partial<Record<string, number>>>,
): RoadmapCandidate[] {
  const scoreOf = (key: string) => dimensionScores[key] ?? 0;
  return [...candidates].sort(
    (a, b) =>
      a.level - b.level ||
      scoreOf(a.dimensionKey) - scoreOf(b.dimensionKey) ||
      b.weight - a.weight ||
      compareText(a.dimensionKey, b.dimensionKey) ||
      compareText(a.criterionKey, b.criterionKey),
  );
}

/** Code-point order: the same in every locale (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The phase of an item due `dueMonth` months after the start: 0-3 short, 3-6 medium, then long. */
export function phaseOf(dueMonth: number): RoadmapPhase {
  if (dueMonth <= 3) return 'short';
  if (dueMonth <= 6) return 'medium';
  return 'long';
}

/**
 * Orders the candidates (orderRoadmap) and spreads them evenly over the horizon in that order:
 * item i of n is due ceil((i + 1) * horizon / n) months after the start, so due months never
 * decrease along the roadmap, the last item is due at the horizon, and the phase follows from the
 * due month (phaseOf). A 3-month horizon is all short term; a 12-month one uses all three phases.
 */
export function planRoadmap(input: PlanRoadmapInput): PlannedItem[] {
  const { horizonMonths, startsOn } = input;
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1) {
    throw new RangeError(`horizonMonths must be a positive integer, got ${horizonMonths}`);
  }
  const ordered = orderRoadmap(input.candidates, input.dimensionScores);
  const total = ordered.length;
  return ordered.map((candidate, position) => {
    const dueMonth = Math.ceil(((position + 1) * horizonMonths) / total);
    return {
      ...candidate,
      position,
      phase: phaseOf(dueMonth),
      dueMonth,
      dueOn: addMonths(startsOn, dueMonth),
    };
  });
}

/**
 * `date` (YYYY-MM-DD) plus whole months, on the UTC calendar; the day is clamped to the target
 * month's length (Jan 31 + 1 month = Feb 28/29), as people expect of "one month later".
 */
export function addMonths(date: string, months: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  const monthIndex = Number(match[1]) * 12 + (Number(match[2]) - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(match[3]), lastDay);
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
