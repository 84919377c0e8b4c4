import { aggregateCriterion, aggregateTeam } from './aggregate';
import type { AnswerCounts } from './types';

const counts = (met: number, notMet: number, notApplicable = 0, unknown = 0): AnswerCounts => ({
  met,
  not_met: notMet,
  not_applicable: notApplicable,
  unknown,
});

describe('aggregateCriterion', () => {
  it('majority: met only when met answers outnumber not_met ones; a tie is not met', () => {
    expect(aggregateCriterion(counts(3, 2), { rule: 'majority' })).toBe('met');
    expect(aggregateCriterion(counts(2, 2), { rule: 'majority' })).toBe('not_met');
    expect(aggregateCriterion(counts(1, 2, 0, 5), { rule: 'majority' })).toBe('not_met');
  });

  it('threshold p: met when met / (met + not_met) >= p', () => {
    expect(aggregateCriterion(counts(3, 1), { rule: 'threshold', threshold: 0.75 })).toBe('met');
    expect(aggregateCriterion(counts(2, 1), { rule: 'threshold', threshold: 0.75 })).toBe(
      'not_met',
    );
    // unknown and not_applicable answers do not dilute the share.
    expect(aggregateCriterion(counts(3, 1, 2, 3), { rule: 'threshold', threshold: 0.75 })).toBe(
      'met',
    );
  });

  it('unanimous: met only when nobody says not_met', () => {
    expect(aggregateCriterion(counts(5, 0, 1, 1), { rule: 'unanimous' })).toBe('met');
    expect(aggregateCriterion(counts(5, 1), { rule: 'unanimous' })).toBe('not_met');
  });

  it('not_applicable when more than half of the answers given say so, under every rule', () => {
    for (const rule of [
      { rule: 'majority' },
      { rule: 'unanimous' },
      { rule: 'threshold', threshold: 0.5 },
    ] as const) {
      expect(aggregateCriterion(counts(1, 0, 2), rule)).toBe('not_applicable');
      // Exactly half is not "most": the others decide.
      expect(aggregateCriterion(counts(2, 0, 2), rule)).toBe('met');
    }
  });

  it('unknown when nobody answered met or not_met', () => {
    expect(aggregateCriterion(counts(0, 0, 1, 2), { rule: 'majority' })).toBe('unknown');
    expect(aggregateCriterion(counts(0, 0), { rule: 'unanimous' })).toBe('unknown');
  });
});

describe('aggregateTeam', () => {
  const criterionKeys = ['a.one', 'a.two', 'b.one', 'b.two'];
  const responses = [
    { 'a.one': 'met', 'a.two': 'met', 'b.one': 'not_applicable', 'b.two': 'met' },
    { 'a.one': 'met', 'a.two': 'not_met', 'b.one': 'not_applicable', 'b.two': 'unknown' },
    { 'a.one': 'met', 'a.two': 'not_met', 'b.one': 'met', 'b.two': 'not_met' },
  ] as const;

  it('aggregates criterion by criterion and measures agreement with n/a and unknown missing', () => {
    const team = aggregateTeam({ criterionKeys, responses, rule: { rule: 'majority' } });
    expect(team.respondents).toBe(3);
    expect(team.answers.map((a) => [a.criterionKey, a.status])).toEqual([
      ['a.one', 'met'],
      ['a.two', 'not_met'],
      ['b.one', 'not_applicable'],
      ['b.two', 'not_met'], // 1 met vs 1 not_met: a tie is not met
    ]);
    expect(team.answers[0].counts).toEqual(counts(3, 0));
    // Pairs: a.one 3/3, a.two 1/3, b.one none (one value), b.two 0/1 -> 4 of 7.
    expect(team.agreement.percentAgreement).toBeCloseTo(4 / 7, 10);
    expect(team.agreement.pairableValues).toBe(3 + 3 + 2);
    // Coincidences: a.one met-met 3*2/2=3; a.two met-not 2*1*2/2=2, not-not 2/2=1;
    // b.two met-not 2/1=2. n=8, n_met=3+1+1=5, n_not=2+1=3, D_o sum=4, D_e sum=2*5*3=30.
    expect(team.agreement.alpha).toBeCloseTo(1 - (7 * 4) / 30, 10);
    expect(team.leastAgreement).toEqual([
      { criterionKey: 'b.two', agreement: 0 },
      { criterionKey: 'a.two', agreement: 1 / 3 },
    ]);
  });

  it('treats a criterion nobody answered as unknown with no agreement figure', () => {
    const team = aggregateTeam({
      criterionKeys: ['x'],
      responses: [{}, {}],
      rule: { rule: 'unanimous' },
    });
    expect(team.answers[0]).toEqual({
      criterionKey: 'x',
      status: 'unknown',
      counts: counts(0, 0),
      agreement: null,
    });
    expect(team.agreement).toEqual({ alpha: null, percentAgreement: null, pairableValues: 0 });
  });

  it('refuses a threshold outside (0, 1]', () => {
    expect(() =>
      aggregateTeam({ criterionKeys, responses, rule: { rule: 'threshold', threshold: 1.5 } }),
    ).toThrow(RangeError);
  });
});
