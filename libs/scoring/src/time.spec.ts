import fc from 'fast-check';
import { timeOf, toIsoString } from './time';

describe('time helpers', () => {
  it('toIsoString(ms) equals new Date(ms).toISOString() for every representable instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(toIsoString(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
    for (const ms of [
      0, -1, 86_399_999, 253_402_300_799_999, 253_402_300_800_000, -62_135_596_800_000,
      -62_135_596_800_001,
    ]) {
      expect(toIsoString(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('timeOf accepts Dates from any realm and nothing else', () => {
    expect(timeOf(new Date(5))).toBe(5);
    expect(timeOf(structuredClone(new Date(7)))).toBe(7);
    expect(timeOf(new Date('nope'))).toBeNaN();
    expect(timeOf('2025-01-01T00:00:00Z')).toBeNaN();
    expect(timeOf({ getTime: () => 1 })).toBeNaN();
    expect(timeOf(null)).toBeNaN();
  });
});
