// Date helpers for the scoring library (internal; not re-exported).

/**
 * Milliseconds of a Date, or NaN for anything else or an invalid date. Realm-independent: a Date
 * made in another VM context (e.g. by structuredClone in a test sandbox) fails `instanceof Date`
 * but is still accepted.
 */
export function timeOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return Object.prototype.toString.call(value) === '[object Date]'
    ? Date.prototype.getTime.call(value)
    : NaN;
}

const DAY_MS = 86_400_000;
/** 0001-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z: the range of 4-digit years. */
const MIN_FAST_MS = -62_135_596_800_000;
const MAX_FAST_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * Same string as `new Date(ms).toISOString()` (e.g. '2025-06-30T12:00:00.000Z'), several times
 * faster:
 * the 'YYYY-MM-DDT' prefix is memoised per day (a bounded cache that never changes the output)
 * and the time of day is assembled from lookup tables. Years outside 0001..9999 use
 * toISOString itself.
 */
export function toIsoString(ms: number): string {
  if (!(ms >= MIN_FAST_MS && ms < MAX_FAST_MS)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}
