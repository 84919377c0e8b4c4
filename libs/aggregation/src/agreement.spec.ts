import fc from 'fast-check';
import { krippendorffAlphaNominal, percentAgreement } from './agreement';

/** Reliability data as printed: one row per coder, one column per unit, '*' or '.' missing. */
function unitsFromCoderRows(rows: string[]): (string | null)[][] {
  const cells = rows.map((row) => row.trim().split(/\s+/));
  return cells[0].map((_, unit) =>
    cells.map((coder) => (coder[unit] === '*' || coder[unit] === '.' ? null : coder[unit])),
  );
}

describe('krippendorffAlphaNominal against published worked examples', () => {
  it('reproduces Krippendorff (2011) section C: 4 observers, 12 units, missing data, alpha = 0.743', () => {
    // K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), Annenberg School for
    // Communication, University of Pennsylvania, https://repository.upenn.edu/asc_papers/43,
    // section C "Nominal data, any number of observers, missing data": nominal alpha = 0.743.
    const units = unitsFromCoderRows([
      '1 2 3 3 2 1 4 1 2 . . .', // observer A
      '1 2 3 3 2 2 4 1 2 5 . 3', // observer B
      '. 3 3 3 2 3 4 2 2 5 1 .', // observer C
      '1 2 3 3 2 4 4 1 2 5 1 .', // observer D
    ]);
    expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.743, 3);
  });

  it("reproduces Wikipedia's computational example: 3 coders, 15 units, alpha = 0.691", () => {
    // https://en.wikipedia.org/wiki/Krippendorff%27s_alpha#A_computational_example
    // (nominal metric: alpha = 0.691).
    const units = unitsFromCoderRows([
      '* * * * * 3 4 1 2 1 1 3 3 * 3', // coder A
      '1 * 2 1 3 3 4 3 * * * * * * *', // coder B
      '* * 2 1 3 4 4 * 2 1 1 3 3 * 4', // coder C
    ]);
    expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.691, 3);
  });

  it('is 1 for perfect agreement with variation and undefined (null) without variation', () => {
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['b', 'b', 'b'],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNull();
    expect(krippendorffAlphaNominal([['a'], ['b'], [null, null]])).toBeNull();
    expect(krippendorffAlphaNominal([])).toBeNull();
  });

  it('ignores units with fewer than two values (they cannot be paired)', () => {
    const base = [
      ['a', 'b'],
      ['a', 'a'],
      ['b', 'b'],
    ];
    expect(krippendorffAlphaNominal([...base, ['a', null, null]])).toBe(
      krippendorffAlphaNominal(base),
    );
  });

  it('does not depend on the order of units, of coders or on the labels (property)', () => {
    const unit = fc.array(fc.option(fc.constantFrom('met', 'not_met'), { nil: null }), {
      minLength: 0,
      maxLength: 6,
    });
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (units) => {
        const alpha = krippendorffAlphaNominal(units);
        const reversed = krippendorffAlphaNominal(units.map((u) => [...u].reverse()).reverse());
        const relabelled = krippendorffAlphaNominal(
          units.map((u) => u.map((v) => (v === null ? null : v === 'met' ? 'x' : 'y'))),
        );
        for (const other of [reversed, relabelled]) {
          if (alpha === null) expect(other).toBeNull();
          else expect(other).toBeCloseTo(alpha, 10);
        }
        if (alpha !== null) expect(alpha).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('percentAgreement', () => {
  it('counts agreeing pairs within units over all pairs', () => {
    // Unit 1: a a b -> pairs aa, ab, ab: 1 of 3. Unit 2: a a -> 1 of 1. Unit 3: one value, no pair.
    expect(
      percentAgreement([
        ['a', 'a', 'b'],
        ['a', 'a'],
        ['b', null],
      ]),
    ).toBeCloseTo(2 / 4, 10);
    expect(percentAgreement([['a'], [null, 'b']])).toBeNull();
  });
});
