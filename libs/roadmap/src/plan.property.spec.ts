import fc from 'fast-check';
import { defaultMaturityModel, type MaturityModelDefinition } from '@app/maturity-model';
import type { CriterionStatus, MaturityLevel } from '@app/scoring';
import { modelArb, STATUSES } from '../../scoring/test/support';
import {
  addMonths,
  orderRoadmap,
  planRoadmap,
  roadmapCandidates,
  type PlannedItem,
  type RoadmapCandidate,
} from './index';

interface Case {
  model: MaturityModelDefinition;
  statuses: Map<string, CriterionStatus>;
  targets: Partial<Record<string, MaturityLevel>>;
  scores: Partial<Record<string, number>>;
  horizonMonths: number;
  startsOn: string;
}

const caseFor = (model: MaturityModelDefinition): fc.Arbitrary<Case> => {
  const keys = model.dimensions.flatMap((d) =>
    d.levels.flatMap((l) => l.criteria.map((c) => c.key)),
  );
  return fc.record({
    model: fc.constant(model),
    statuses: fc
      .tuple(...keys.map((key) => fc.constantFrom(...STATUSES).map((s) => [key, s] as const)))
      .map((entries) => new Map(entries)),
    targets: fc.record(
      Object.fromEntries(
        model.dimensions.map((d) => [d.key, fc.constantFrom<MaturityLevel>(0, 1, 2, 3)]),
      ),
      { requiredKeys: [] },
    ),
    scores: fc.record(
      Object.fromEntries(
        model.dimensions.map((d) => [
          d.key,
          fc.integer({ min: 0, max: 30000 }).map((n) => n / 10000),
        ]),
      ),
      { requiredKeys: [] },
    ),
    horizonMonths: fc.integer({ min: 1, max: 36 }),
    startsOn: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  });
};

const cases: [string, fc.Arbitrary<Case>][] = [
  ['random models', modelArb.chain(caseFor)],
  ['the default model', caseFor(defaultMaturityModel)],
];

const plan = (c: Case): PlannedItem[] =>
  planRoadmap({
    candidates: roadmapCandidates(c.model, c.statuses, c.targets),
    dimensionScores: c.scores,
    startsOn: c.startsOn,
    horizonMonths: c.horizonMonths,
  });

describe.each(cases)('roadmap planning on %s (property)', (_name, arb) => {
  it('plans exactly the unmet criteria up to each target level', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const expected = c.model.dimensions.flatMap((d) =>
          d.levels
            .filter((l) => l.level <= (c.targets[d.key] ?? 0))
            .flatMap((l) => l.criteria)
            .filter(
              (criterion) => !['met', 'not_applicable'].includes(c.statuses.get(criterion.key)!),
            )
            .map((criterion) => criterion.key),
        );
        expect(
          plan(c)
            .map((item) => item.criterionKey)
            .sort(),
        ).toEqual([...expected].sort());
      }),
    );
  });

  it('never puts a level n+1 item of a dimension before an open level n item of it', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const items = plan(c);
        items.forEach((later, j) => {
          for (const earlier of items.slice(0, j)) {
            if (earlier.dimensionKey === later.dimensionKey) {
              expect(earlier.level).toBeLessThanOrEqual(later.level);
            }
          }
        });
      }),
    );
  });

  it('within a level, puts the weaker dimension first, then the heavier criterion', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const items = plan(c);
        const score = (key: string) => c.scores[key] ?? 0;
        for (let i = 1; i < items.length; i += 1) {
          const [a, b] = [items[i - 1], items[i]];
          expect(a.level).toBeLessThanOrEqual(b.level);
          if (a.level !== b.level) continue;
          expect(score(a.dimensionKey)).toBeLessThanOrEqual(score(b.dimensionKey));
          if (a.dimensionKey === b.dimensionKey) expect(a.weight).toBeGreaterThanOrEqual(b.weight);
        }
      }),
    );
  });

  it('does not depend on the order of its input', () => {
    fc.assert(
      fc.property(
        arb.chain((c) => {
          const candidates = roadmapCandidates(c.model, c.statuses, c.targets);
          return fc.tuple(
            fc.constant(c),
            fc.shuffledSubarray(candidates, {
              minLength: candidates.length,
              maxLength: candidates.length,
            }),
          );
        }),
        ([c, shuffled]: [Case, RoadmapCandidate[]]) => {
          const keys = (list: RoadmapCandidate[]) => list.map((item) => item.criterionKey);
          const candidates = roadmapCandidates(c.model, c.statuses, c.targets);
          expect(keys(orderRoadmap(shuffled, c.scores))).toEqual(
            keys(orderRoadmap(candidates, c.scores)),
          );
        },
      ),
    );
  });

  it('spreads items over the horizon: due months never decrease, phases follow them', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const items = plan(c);
        const phaseRank = { short: 0, medium: 1, long: 2 };
        items.forEach((item, i) => {
          expect(item.position).toBe(i);
          expect(item.dueMonth).toBeGreaterThanOrEqual(1);
          expect(item.dueMonth).toBeLessThanOrEqual(c.horizonMonths);
          expect(item.dueOn).toBe(addMonths(c.startsOn, item.dueMonth));
          expect(item.dueOn > c.startsOn).toBe(true);
          const expectedPhase =
            item.dueMonth <= 3 ? 'short' : item.dueMonth <= 6 ? 'medium' : 'long';
          expect(item.phase).toBe(expectedPhase);
          if (i > 0) {
            expect(item.dueMonth).toBeGreaterThanOrEqual(items[i - 1].dueMonth);
            expect(phaseRank[item.phase]).toBeGreaterThanOrEqual(phaseRank[items[i - 1].phase]);
          }
        });
        if (items.length > 0) expect(items[items.length - 1].dueMonth).toBe(c.horizonMonths);
      }),
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-12-15', 12, '2027-12-15'],
  ])('%s + %d months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('orderRoadmap on a hand-made example', () => {
  it('orders by level, then weakest dimension, then weight', () => {
    const item = (criterionKey: string, level: 1 | 2 | 3, weight: number): RoadmapCandidate => ({
      criterionKey,
      dimensionKey: criterionKey.split('.')[0],
      level,
      weight,
      title: criterionKey,
      why: '',
      ciSignal: null,
    });
    const ordered = orderRoadmap(
      [
        item('strong.a2', 2, 1),
        item('weak.b2', 2, 1),
        item('strong.a1', 1, 1),
        item('weak.light', 1, 1),
        item('weak.heavy', 1, 3),
      ],
      { strong: 2.5, weak: 0.5 },
    );
    expect(ordered.map((i) => i.criterionKey)).toEqual([
      'weak.heavy',
      'weak.light',
      'strong.a1',
      'weak.b2',
      'strong.a2',
    ]);
  });
});
