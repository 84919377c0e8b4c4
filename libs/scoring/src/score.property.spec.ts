import fc from 'fast-check';
import { defaultMaturityModel, freezeModelDefinition } from '@app/maturity-model';
import { AS_OF, inputArb, inputArbFor } from '../test/support';
import {
  type AssessmentResult,
  bandForLevel,
  type CriterionStatus,
  round4,
  type ScoreAssessmentInput,
  scoreAssessment,
} from './index';

/** Random small models, and the default model with random answers. */
const inputs: [string, fc.Arbitrary<ScoreAssessmentInput>][] = [
  ['random models', inputArb],
  ['the default model', inputArbFor(defaultMaturityModel)],
];

function withAnswer(
  input: ScoreAssessmentInput,
  criterionKey: string,
  status: CriterionStatus,
): ScoreAssessmentInput {
  return {
    ...input,
    answers: [
      ...input.answers.filter((a) => a.criterionKey !== criterionKey),
      { criterionKey, status },
    ],
  };
}

function expectNoLower(before: AssessmentResult, after: AssessmentResult): void {
  expect(after.score).toBeGreaterThanOrEqual(before.score);
  expect(after.minimumLevel).toBeGreaterThanOrEqual(before.minimumLevel);
  before.dimensions.forEach((d, i) => {
    expect(after.dimensions[i].score).toBeGreaterThanOrEqual(d.score);
    expect(after.dimensions[i].level).toBeGreaterThanOrEqual(d.level);
  });
}

function hasAtMost4Decimals(value: number): boolean {
  return round4(value) === value;
}

describe.each(inputs)('scoreAssessment properties over %s', (_name, arb) => {
  it('same input, same output (also with the evidence in reverse order and a copied input)', () => {
    fc.assert(
      fc.property(arb, (input) => {
        const first = scoreAssessment(input);
        expect(scoreAssessment(input)).toEqual(first);
        expect(scoreAssessment(structuredClone(input))).toEqual(first);
        const reversed = { ...input, evidence: [...(input.evidence ?? [])].reverse() };
        expect(scoreAssessment(reversed)).toEqual(first);
      }),
    );
  });

  it('gives the same result for a frozen (indexed once) and an unfrozen copy of the model', () => {
    fc.assert(
      fc.property(arb, (input) => {
        const open = structuredClone(input.model);
        const frozen = freezeModelDefinition(structuredClone(input.model));
        const expected = scoreAssessment({ ...input, model: open });
        expect(scoreAssessment({ ...input, model: frozen })).toEqual(expected);
        expect(scoreAssessment({ ...input, model: frozen })).toEqual(expected);
      }),
    );
  });

  it('meeting one more criterion never lowers a dimension score, the overall score or a level', () => {
    fc.assert(
      fc.property(arb, fc.nat(), fc.boolean(), (input, pick, byEvidence) => {
        const before = scoreAssessment(input);
        const candidates = before.dimensions.flatMap((d) =>
          d.criteria.filter((c) => c.status !== 'met').map((c) => ({ d, c })),
        );
        fc.pre(candidates.length > 0);
        const { d, c } = candidates[pick % candidates.length];
        const changed: ScoreAssessmentInput = byEvidence
          ? {
              ...input,
              evidence: [
                ...(input.evidence ?? []),
                { criterionKey: c.key, passed: true, observedAt: AS_OF, expiresAt: null },
              ],
            }
          : withAnswer(input, c.key, 'met');
        const after = scoreAssessment(changed);
        expectNoLower(before, after);
        const nowMet = after.dimensions.flatMap((x) => x.criteria).find((x) => x.key === c.key);
        if (c.status !== 'not_applicable' && nowMet?.status === 'met' && c.level === d.level + 1) {
          // A criterion of the next level counts strictly.
          const index = before.dimensions.indexOf(d);
          expect(after.dimensions[index].score).toBeGreaterThan(d.score);
        }
      }),
    );
  });

  it('marking an unmet criterion not applicable never lowers a score', () => {
    fc.assert(
      fc.property(arb, fc.nat(), (input, pick) => {
        const before = scoreAssessment(input);
        const unmet = before.dimensions
          .flatMap((d) => d.criteria)
          .filter((c) => c.status === 'not_met' || c.status === 'unknown');
        fc.pre(unmet.length > 0);
        const target = unmet[pick % unmet.length];
        expectNoLower(before, scoreAssessment(withAnswer(input, target.key, 'not_applicable')));
      }),
    );
  });

  it('never reports a level without every criterion of that level and below met or n.a.', () => {
    fc.assert(
      fc.property(arb, (input) => {
        const result = scoreAssessment(input);
        for (const d of result.dimensions) {
          const satisfied = (level: number) =>
            d.criteria
              .filter((c) => c.level === level)
              .every((c) => c.status === 'met' || c.status === 'not_applicable');
          for (let level = 1; level <= d.level; level++) expect(satisfied(level)).toBe(true);
          // ... and the level is the highest one held (the next gate really fails).
          if (d.level < 3) expect(satisfied(d.level + 1)).toBe(false);
          // Gaps are exactly the unmet criteria up to the target, in level-then-key order.
          const expectedGaps = d.criteria
            .filter((c) => c.level <= d.targetLevel)
            .filter((c) => c.status === 'not_met' || c.status === 'unknown')
            .map((c) => c.key);
          expect(d.gaps.map((g) => g.key)).toEqual(expectedGaps);
          expect(d.recommendations.map((r) => r.criterionKey)).toEqual(expectedGaps);
        }
      }),
    );
  });

  it('keeps scores within 0..3, consistent with levels, rounded to 4 decimals', () => {
    fc.assert(
      fc.property(arb, (input) => {
        const result = scoreAssessment(input);
        let weighted = 0;
        let weights = 0;
        for (const d of result.dimensions) {
          expect(d.score).toBeGreaterThanOrEqual(0);
          expect(d.score).toBeLessThanOrEqual(3);
          expect(hasAtMost4Decimals(d.score)).toBe(true);
          expect(Math.floor(d.score)).toBe(d.level);
          const { met, notMet, notApplicable, unknown } = d.counts;
          expect(met + notMet + notApplicable + unknown).toBe(d.criteria.length);
          const given = input.targetLevels?.[d.dimensionKey];
          expect(d.targetLevel).toBe(given ?? Math.min(d.level + 1, 3));
          weighted += d.weight * d.score;
          weights += d.weight;
        }
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(3);
        expect(result.score).toBe(round4(weighted / weights));
        expect(result.minimumLevel).toBe(Math.min(...result.dimensions.map((d) => d.level)));
        expect(result.band).toBe(bandForLevel(result.minimumLevel));
        expect(result.conflicts.length).toBe(
          result.dimensions.flatMap((d) => d.criteria).filter((c) => c.conflict).length,
        );
      }),
    );
  });
});
