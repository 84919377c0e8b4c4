/**
 * Agreement among respondents, over "units" (criteria): each unit is the list of values the
 * respondents gave it, `null` for missing. Values are compared for equality only (nominal).
 *
 * Written here rather than taken from npm: the JavaScript packages for Krippendorff's alpha we
 * could find are unmaintained single-file ports without missing-data handling; the formula is a
 * dozen lines and is tested against Krippendorff's and Wikipedia's published examples.
 */

type Unit = readonly (string | null | undefined)[];

function present(unit: Unit): string[] {
  return unit.filter((value): value is string => value !== null && value !== undefined);
}

function countValues(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
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
export function krippendorffAlphaNominal(units: readonly Unit[]): number | null {
  const totals = new Map<string, number>();
  let n = 0;
  let observedDisagreement = 0;
  for (const unit of units) {
    const values = present(unit);
    const m = values.length;
    if (m < 2) continue;
    const counts = countValues(values);
    n += m;
    // Ordered pairs of different values in the unit: m^2 - sum of squared counts.
    let same = 0;
    for (const [value, count] of counts) {
      totals.set(value, (totals.get(value) ?? 0) + count);
      same += count * count;
    }
    observedDisagreement += (m * m - same) / (m - 1);
  }
  if (n < 2) return null;
  let squares = 0;
  for (const count of totals.values()) squares += count * count;
  const expectedDisagreement = n * n - squares;
  if (expectedDisagreement === 0) return null;
  return 1 - ((n - 1) * observedDisagreement) / expectedDisagreement;
}

/** Agreeing and total unordered pairs of values within one unit. */
export function pairsOf(unit: Unit): { agreeing: number; total: number } {
  const values = present(unit);
  let agreeing = 0;
  for (const count of countValues(values).values()) agreeing += (count * (count - 1)) / 2;
  return { agreeing, total: (values.length * (values.length - 1)) / 2 };
}

/**
 * Percent agreement: agreeing pairs of values within a unit over all pairs, summed over units
 * (units with fewer than two values have no pair). Null when there is no pair at all.
 */
export function percentAgreement(units: readonly Unit[]): number | null {
  let agreeing = 0;
  let total = 0;
  for (const unit of units) {
    const pairs = pairsOf(unit);
    agreeing += pairs.agreeing;
    total += pairs.total;
  }
  return total === 0 ? null : agreeing / total;
}
