/**
 * Trend reports from progress snapshots, as pure functions: the buckets of a window, each series'
 * value at the end of each bucket (carried forward), its delta and velocity, and the organization
 * roll-up. The database work (the last snapshot per team, series and bucket) is the caller's.
 */

export type TrendInterval = 'week' | 'month' | 'quarter';
export const TREND_INTERVALS: readonly TrendInterval[] = ['week', 'month', 'quarter'];
/** The series key of the overall figure (snapshots with no dimension). */
export const OVERALL = 'overall';

export interface Bucket {
  /** ISO 8601; the first bucket starts at the window's `from`. */
  start: string;
  /** ISO 8601, exclusive; the last bucket ends at the window's `to`. */
  end: string;
}

const DAY_MS = 86_400_000;
/** A quarter of a mean Gregorian year, for velocities in levels per quarter. */
export const QUARTER_MS = (365.2425 / 4) * DAY_MS;

/** The first calendar boundary (UTC; weeks start on Monday) strictly after `instant`. */
function nextBoundary(instant: Date, interval: TrendInterval): Date {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth();
  if (interval === 'month') return new Date(Date.UTC(year, month + 1, 1));
  if (interval === 'quarter') return new Date(Date.UTC(year, month - (month % 3) + 3, 1));
  const midnight = Date.UTC(year, month, instant.getUTCDate());
  const daysSinceMonday = (instant.getUTCDay() + 6) % 7;
  return new Date(midnight + (7 - daysSinceMonday) * DAY_MS);
}

/**
 * The window [from, to) cut at calendar boundaries of the interval (UTC): the first bucket starts
 * at `from`, the last ends at `to`, every other one is a whole week (Monday to Monday), month or
 * quarter. Throws a RangeError when there would be more than `maxBuckets`.
 */
export function trendBuckets(
  from: Date,
  to: Date,
  interval: TrendInterval,
  maxBuckets = 1000,
): Bucket[] {
  const buckets: Bucket[] = [];
  let start = from;
  while (start < to) {
    const boundary = nextBoundary(start, interval);
    const end = boundary < to ? boundary : to;
    buckets.push({ start: start.toISOString(), end: end.toISOString() });
    if (buckets.length > maxBuckets) {
      throw new RangeError(`more than ${maxBuckets} ${interval} buckets`);
    }
    start = end;
  }
  return buckets;
}

/**
 * The last snapshot of a series in one bucket: `bucket` 0 is the last one before the window (the
 * value carried into it), 1..n the buckets in order.
 */
export interface BucketPoint {
  teamId: string;
  /** A dimension key, or OVERALL. */
  series: string;
  bucket: number;
  score: number;
  level: number;
}

export interface TrendSeries {
  teamId: string;
  series: string;
  /** Score at the end of each bucket: the last snapshot up to it; null before the first one. */
  values: (number | null)[];
  /** Level at the end of each bucket, the same way. */
  levels: (number | null)[];
  /** Value at the end of the window minus the value at its start (see trendSeries). */
  delta: number | null;
  /** delta per quarter of the time it took, in levels per quarter. */
  velocity: number | null;
}

export interface RollupPoint {
  /** Mean over the teams that have a value at the end of the bucket; null when none has. */
  mean: number | null;
  count: number;
}

export interface TrendRollup {
  series: string;
  values: RollupPoint[];
}

const round4 = (value: number) => Math.round(value * 10000) / 10000;

/**
 * One series from its bucket points: each bucket's value is its own last point, or else the
 * previous bucket's value (carried forward); before the first point, null.
 * Delta and velocity measure from the series' start to the end of the window: the start is the
 * window's `from` when a value was carried into it (a snapshot before the window), otherwise the
 * end of the first bucket that has a value. delta = last value - start value; velocity =
 * delta / (time from the start to the end of the window, in quarters). Both null without a value
 * (velocity also when that time is zero).
 */
export function trendSeries(
  teamId: string,
  series: string,
  buckets: readonly Bucket[],
  points: readonly BucketPoint[],
): TrendSeries {
  const byBucket = new Map(points.map((point) => [point.bucket, point]));
  let score: number | null = byBucket.get(0)?.score ?? null;
  let level: number | null = byBucket.get(0)?.level ?? null;
  let startValue = score;
  let startAt: number | null = score === null ? null : Date.parse(buckets[0]?.start ?? '');
  const values: (number | null)[] = [];
  const levels: (number | null)[] = [];
  buckets.forEach((bucket, index) => {
    const point = byBucket.get(index + 1);
    if (point) {
      score = point.score;
      level = point.level;
    }
    if (startValue === null && score !== null) {
      startValue = score;
      startAt = Date.parse(bucket.end);
    }
    values.push(score);
    levels.push(level);
  });
  const last = values[values.length - 1] ?? null;
  const delta = last !== null && startValue !== null ? round4(last - startValue) : null;
  const endAt = buckets.length ? Date.parse(buckets[buckets.length - 1].end) : null;
  const span = endAt !== null && startAt !== null ? endAt - startAt : 0;
  const velocity = delta !== null && span > 0 ? round4(delta / (span / QUARTER_MS)) : null;
  return { teamId, series, values, levels, delta, velocity };
}

/** Per series and bucket: the mean of the teams that have a value then, and how many do. */
export function trendRollup(
  seriesKeys: readonly string[],
  all: readonly TrendSeries[],
  bucketCount: number,
): TrendRollup[] {
  return seriesKeys.map((key) => {
    const ofKey = all.filter((series) => series.series === key);
    return {
      series: key,
      values: Array.from({ length: bucketCount }, (_unused, index) => {
        const present = ofKey
          .map((series) => series.values[index])
          .filter((value): value is number => value !== null);
        return {
          mean: present.length
            ? round4(present.reduce((sum, value) => sum + value, 0) / present.length)
            : null,
          count: present.length,
        };
      }),
    };
  });
}

export interface TeamRef {
  id: string;
  name: string;
}

export interface TrendReport {
  interval: TrendInterval;
  from: string;
  to: string;
  buckets: Bucket[];
  teams: TeamRef[];
  series: string[];
  /** Per team and series, teams in the order given, series in the order given. */
  teamSeries: TrendSeries[];
  organization: TrendRollup[];
}

/** Assembles the report: one series per team and series key (empty ones too, all null). */
export function buildTrendReport(input: {
  interval: TrendInterval;
  from: Date;
  to: Date;
  buckets: Bucket[];
  teams: TeamRef[];
  series: string[];
  points: readonly BucketPoint[];
}): TrendReport {
  const grouped = new Map<string, BucketPoint[]>();
  for (const point of input.points) {
    const key = `${point.teamId}\u0000${point.series}`;
    const list = grouped.get(key);
    if (list) list.push(point);
    else grouped.set(key, [point]);
  }
  const teamSeries = input.teams.flatMap((team) =>
    input.series.map((key) =>
      trendSeries(team.id, key, input.buckets, grouped.get(`${team.id}\u0000${key}`) ?? []),
    ),
  );
  return {
    interval: input.interval,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    buckets: input.buckets,
    teams: input.teams,
    series: input.series,
    teamSeries,
    organization: trendRollup(input.series, teamSeries, input.buckets.length),
  };
}
