import fc from 'fast-check';
import { defaultMaturityModel } from '@app/maturity-model';
import { AS_OF } from '../test/support';
import { resolveCriterionStatus, scoreAssessment, type EvidenceItem } from './index';

const DAY = 86_400_000;
const daysFromAsOf = (days: number): Date => new Date(AS_OF.getTime() + days * DAY);

function item(
  passed: boolean,
  observedDays: number,
  expiresDays: number | null,
  sourceUrl?: string,
): EvidenceItem {
  return {
    criterionKey: 'testing.unit_tests_on_pr',
    passed,
    observedAt: daysFromAsOf(observedDays),
    expiresAt: expiresDays === null ? null : daysFromAsOf(expiresDays),
    ...(sourceUrl === undefined ? {} : { sourceUrl }),
  };
}

describe('resolveCriterionStatus (the evidence rules)', () => {
  it('fresh passing evidence proves a criterion whatever the answer', () => {
    for (const answer of ['met', 'not_met', 'not_applicable', 'unknown', undefined] as const) {
      const r = resolveCriterionStatus(answer, [item(true, -1, 30)], AS_OF);
      expect(r).toMatchObject({ status: 'met', source: 'evidence', conflict: false });
    }
  });

  it('expired evidence does not count: the answer decides', () => {
    const r = resolveCriterionStatus('not_met', [item(true, -100, -10)], AS_OF);
    expect(r).toMatchObject({ status: 'not_met', source: 'answer', decidingEvidence: null });
    expect(r.ignored.expired).toBe(1);
  });

  it('evidence expiring exactly at asOf is expired; observed exactly at asOf is fresh', () => {
    expect(resolveCriterionStatus(undefined, [item(true, -5, 0)], AS_OF).status).toBe('unknown');
    expect(resolveCriterionStatus(undefined, [item(true, 0, null)], AS_OF).status).toBe('met');
  });

  it('evidence observed after asOf does not count', () => {
    const r = resolveCriterionStatus(undefined, [item(true, 1, null)], AS_OF);
    expect(r).toMatchObject({ status: 'unknown', source: 'none' });
    expect(r.ignored.notYetObserved).toBe(1);
  });

  it('a met answer contradicted by fresh failing evidence is a conflict and counts as not met', () => {
    const r = resolveCriterionStatus('met', [item(false, -2, null, 'https://ci/run/7')], AS_OF);
    expect(r).toMatchObject({ status: 'not_met', source: 'evidence', conflict: true });
    expect(r.decidingEvidence?.sourceUrl).toBe('https://ci/run/7');
  });

  it('a not applicable answer contradicted by fresh failing evidence is also a conflict', () => {
    const r = resolveCriterionStatus('not_applicable', [item(false, -2, null)], AS_OF);
    expect(r).toMatchObject({ status: 'not_met', conflict: true });
  });

  it('fresh failing evidence confirms a not_met, unknown or missing answer without conflict', () => {
    for (const answer of ['not_met', 'unknown', undefined] as const) {
      const r = resolveCriterionStatus(answer, [item(false, -2, 10)], AS_OF);
      expect(r).toMatchObject({ status: 'not_met', source: 'evidence', conflict: false });
    }
  });

  it('the latest fresh item decides; older fresh items are superseded', () => {
    const r = resolveCriterionStatus('met', [item(true, -3, null), item(false, -1, null)], AS_OF);
    expect(r).toMatchObject({ status: 'not_met', conflict: true });
    expect(r.ignored.superseded).toBe(1);
    const back = resolveCriterionStatus('met', [item(false, -3, null), item(true, -1, 5)], AS_OF);
    expect(back).toMatchObject({ status: 'met', conflict: false });
  });

  it('an expired newer item does not hide an older fresh one', () => {
    const r = resolveCriterionStatus(
      undefined,
      [item(true, -30, null), item(false, -2, -1)],
      AS_OF,
    );
    expect(r.status).toBe('met');
    expect(r.ignored.expired).toBe(1);
  });

  it('at the same instant a failing item beats a passing one, in any input order', () => {
    const pass = item(true, -1, null, 'https://ci/a');
    const fail = item(false, -1, null, 'https://ci/b');
    expect(resolveCriterionStatus('met', [pass, fail], AS_OF).status).toBe('not_met');
    expect(resolveCriterionStatus('met', [fail, pass], AS_OF).status).toBe('not_met');
  });

  it('no evidence: the answer decides; no answer: unknown', () => {
    expect(resolveCriterionStatus('not_applicable', [], AS_OF)).toMatchObject({
      status: 'not_applicable',
      source: 'answer',
    });
    expect(resolveCriterionStatus(undefined, [], AS_OF)).toMatchObject({
      status: 'unknown',
      source: 'none',
    });
  });

  it('ignores CI evidence on human-only criteria', () => {
    const r = resolveCriterionStatus('not_met', [item(true, -1, null)], AS_OF, 'human');
    expect(r).toMatchObject({ status: 'not_met', source: 'answer' });
    expect(r.ignored.humanOnly).toBe(1);
  });

  it('ignores evidence with invalid dates and rejects an invalid asOf', () => {
    const bad = { ...item(true, -1, null), observedAt: new Date('nope') };
    expect(resolveCriterionStatus(undefined, [bad], AS_OF).ignored.invalid).toBe(1);
    expect(() => resolveCriterionStatus(undefined, [], new Date('nope'))).toThrow(TypeError);
  });

  it('does not depend on the order of the evidence', () => {
    const itemArb = fc
      .record({
        passed: fc.boolean(),
        observed: fc.integer({ min: -5, max: 2 }),
        life: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
        url: fc.constantFrom('https://ci/1', 'https://ci/2'),
      })
      .map(({ passed, observed, life, url }) =>
        item(passed, observed, life === null ? null : observed + life, url),
      );
    fc.assert(
      fc.property(
        fc.array(itemArb, { maxLength: 8 }),
        fc.constantFrom('met', 'not_met', 'not_applicable', 'unknown', undefined),
        (items, answer) => {
          const forward = resolveCriterionStatus(answer, items, AS_OF);
          const backward = resolveCriterionStatus(answer, [...items].reverse(), AS_OF);
          expect(backward.status).toBe(forward.status);
          expect(backward.conflict).toBe(forward.conflict);
          expect(backward.decidingEvidence).toEqual(forward.decidingEvidence);
          expect(backward.ignored).toEqual(forward.ignored);
        },
      ),
    );
  });
});

describe('evidence in scoreAssessment', () => {
  const base = { model: defaultMaturityModel, asOf: AS_OF };
  const criterion = (result: ReturnType<typeof scoreAssessment>, key: string) =>
    result.dimensions.flatMap((d) => d.criteria).find((c) => c.key === key);

  it('fresh passing evidence proves an unanswered criterion and is traced with its sourceUrl', () => {
    const result = scoreAssessment({
      ...base,
      answers: [],
      evidence: [item(true, -1, 30, 'https://ci.example/run/42')],
    });
    expect(criterion(result, 'testing.unit_tests_on_pr')).toMatchObject({
      status: 'met',
      answerStatus: 'unknown',
      source: 'evidence',
      evidence: {
        passed: true,
        observedAt: daysFromAsOf(-1).toISOString(),
        expiresAt: daysFromAsOf(30).toISOString(),
        sourceUrl: 'https://ci.example/run/42',
      },
    });
    const line = result.explanation.find(
      (l) => l.kind === 'criterion_evidence' && l.criterionKey === 'testing.unit_tests_on_pr',
    );
    expect(line?.text).toContain('https://ci.example/run/42');
    expect(line?.text).toContain("decides 'met'");
  });

  it('expired evidence is ignored and said so', () => {
    const result = scoreAssessment({
      ...base,
      answers: [{ criterionKey: 'testing.unit_tests_on_pr', status: 'not_met' }],
      evidence: [item(true, -100, -1)],
    });
    expect(criterion(result, 'testing.unit_tests_on_pr')).toMatchObject({
      status: 'not_met',
      source: 'answer',
      evidence: null,
    });
    const line = result.explanation.find((l) => l.kind === 'criterion_evidence');
    expect(line?.text).toContain('1 expired');
  });

  it('flags a conflict, lists it and counts the criterion as not met', () => {
    const answers = [
      { criterionKey: 'testing.unit_tests_on_pr', status: 'met' as const },
      { criterionKey: 'testing.lint', status: 'met' as const },
    ];
    const clean = scoreAssessment({ ...base, answers });
    const result = scoreAssessment({
      ...base,
      answers,
      evidence: [item(false, -1, null, 'https://ci.example/run/43')],
    });
    expect(clean.dimensions[4].level).toBe(1);
    expect(result.dimensions[4].level).toBe(0);
    expect(result.conflicts).toEqual([
      {
        criterionKey: 'testing.unit_tests_on_pr',
        dimensionKey: 'testing',
        level: 1,
        answerStatus: 'met',
        evidence: {
          passed: false,
          observedAt: daysFromAsOf(-1).toISOString(),
          expiresAt: null,
          sourceUrl: 'https://ci.example/run/43',
        },
        message: expect.stringContaining('https://ci.example/run/43') as string,
      },
    ]);
    expect(criterion(result, 'testing.unit_tests_on_pr')).toMatchObject({
      status: 'not_met',
      conflict: true,
    });
    const gap = result.dimensions[4].gaps[0];
    expect(gap).toMatchObject({
      key: 'testing.unit_tests_on_pr',
      status: 'not_met',
      conflict: true,
    });
    expect(result.dimensions[4].recommendations[0].kind).toBe('resolve_conflict');
  });
});
