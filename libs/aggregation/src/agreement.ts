/**
 * Agreement among respondents over "units" (criteria). Nominal values are compared for equality
 * only, so everything needed from a unit is how many times each value occurs in it: the functions
 * take those counts (`*FromCounts`, what the database aggregates) or the raw values of each unit
 * (`null` for missing), which they count first.
 *
 * Written here rather than taken from npm: the JavaScript packages for Krippendorff's alpha we
 * could find are unmaintained single-file ports without missing-data handling; the formula is a
 * dozen lines and is tested against Krippendorff's and Wikipedia's published examples.
 */

type Unit = readonly (string | null | undefined)[];
/** How many times each value occurs in one unit (missing values not counted). */
export type UnitCounts = Readonly<Record<string, number>>;

export function countUnit(unit: Unit): UnitCounts {
  const counts: Record<string, number> = {};
  for (const value of unit) {
    if (value !== null && value !== undefined) counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/**
 * Krippendorff's alpha for nominal data (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability", section C), from the coincidence matrix:
 *
 *   alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k
 *
 * where only units with at least two values count (m_u >= 2), o_ck sums each unit's ordered
 * c-k value pairs divided by m_u - 1, n_c is the number of pairable c values and n their total.
 * Null when undefined: fewer than two pairable values, or every pairable value the same (no
 * expected disagreement, 0/0).
 */
export function krippendorffAlphaFromCounts(units: Iterable<UnitCounts>): number | null {
  const totals = new Map<string, number>();
  let n = 0;
  let observedDisagreement = 0;
  for (const counts of units) {
    let m = 0;
    let same = 0;
    for (const count of Object.values(counts)) {
      m += count;
      same += count * count;
    }
    if (m < 2) continue;
    n += m;
    for (const [value, count] of Object.entries(counts)) {
      totals.set(value, (totals.get(value) ?? 0) + count);
    }
    // Ordered pairs of different values in the unit: m^2 - sum of squared counts.
    observedDisagreement += (m * m - same) / (m - 1);
  }
  if (n < 2) return null;
  let squares = 0;
  for (const count of totals.values()) squares += count * count;
  const expectedDisagreement = n * n - squares;
  if (expectedDisagreement === 0) return null;
  return 1 - ((n - 1) * observedDisagreement) / expectedDisagreement;
}

export function krippendorffAlphaNominal(units: readonly Unit[]): number | null {
  return krippendorffAlphaFromCounts(units.map(countUnit));
}

/** Agreeing and total unordered pairs of values within one unit. */
export function pairsFromCounts(counts: UnitCounts): { agreeing: number; total: number } {
  let agreeing = 0;
  let m = 0;
  for (const count of Object.values(counts)) {
    agreeing += (count * (count - 1)) / 2;
    m += count;
  }
  return { agreeing, total: (m * (m - 1)) / 2 };
}

export function pairsOf(unit: Unit): { agreeing: number; total: number } {
  return pairsFromCounts(countUnit(unit));
}

/**
 * Percent agreement: agreeing pairs of values within a unit over all pairs, summed over units
 * (units with fewer than two values have no pair). Null when there is no pair at all.
 */
export function percentAgreementFromCounts(units: Iterable<UnitCounts>): number | null {
  let agreeing = 0;
  let total = 0;
  for (const counts of units) {
    const pairs = pairsFromCounts(counts);
    agreeing += pairs.agreeing;
    total += pairs.total;
  }
  return total === 0 ? null : agreeing / total;
}

export function percentAgreement(units: readonly Unit[]): number | null {
  return percentAgreementFromCounts(units.map(countUnit));
}
