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
 * One series' last point of each bucket: index 0 holds the value carried into the window (the
 * last snapshot before it), index i the last snapshot of bucket i; NaN where there is none (so
 * that the arrays hold unboxed doubles: a 5000-team report has millions of them).
 */
export interface SeriesBuckets {
  scores: number[];
  levels: number[];
}

interface Collected extends SeriesBuckets {
  /** The instant (ms) of each bucket's point, so that a later point offered afterwards wins. */
  at: number[];
}

/**
 * Each team's and series' last point per bucket, from points offered in any order (the point at
 * the later instant wins its bucket). Points before the window go to bucket 0, points at or after
 * its end are dropped.
 */
export class LastPointPerBucket {
  private readonly starts: number[];
  private readonly end: number;
  private readonly byTeam = new Map<string, Map<string, Collected>>();
  private readonly seen = new Set<string>();
  private recent?: { teamId: string; series: string; collected: Collected };

  constructor(buckets: readonly Bucket[]) {
    this.starts = buckets.map((bucket) => Date.parse(bucket.start));
    this.end = buckets.length ? Date.parse(buckets[buckets.length - 1].end) : -Infinity;
  }

  /** 0 before the window, i for the i-th bucket, -1 at or after the window's end. */
  bucketAt(instant: number): number {
    if (instant >= this.end) return -1;
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.starts[middle] <= instant) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  offer(teamId: string, series: string, instant: number, score: number, level: number): void {
    const bucket = this.bucketAt(instant);
    if (bucket < 0) return;
    const collected = this.collected(teamId, series);
    if (instant < collected.at[bucket]) return;
    collected.at[bucket] = instant;
    collected.scores[bucket] = score;
    collected.levels[bucket] = level;
  }

  /** The series' points; the last one asked for is kept, as a read yields a series' points together. */
  private collected(teamId: string, series: string): Collected {
    const recent = this.recent;
    if (recent && recent.teamId === teamId && recent.series === series) return recent.collected;
    let ofTeam = this.byTeam.get(teamId);
    if (!ofTeam) this.byTeam.set(teamId, (ofTeam = new Map()));
    let collected = ofTeam.get(series);
    if (!collected) {
      const size = this.starts.length + 1;
      collected = {
        scores: new Array<number>(size).fill(NaN),
        levels: new Array<number>(size).fill(NaN),
        at: new Array<number>(size).fill(-Infinity),
      };
      ofTeam.set(series, collected);
      this.seen.add(series);
    }
    this.recent = { teamId, series, collected };
    return collected;
  }

  of(teamId: string, series: string): SeriesBuckets | undefined {
    return this.byTeam.get(teamId)?.get(series);
  }

  /** Every series key a point was offered for. */
  seriesKeys(): string[] {
    return [...this.seen];
  }
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
 * One series from its last point per bucket: each bucket's value is its own last point, or else
 * the previous bucket's value (carried forward); before the first point, null.
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
  last: SeriesBuckets | undefined,
): TrendSeries {
  const at = (values: number[] | undefined, index: number) => {
    const value = values?.[index];
    return value === undefined || Number.isNaN(value) ? null : value;
  };
  let score: number | null = at(last?.scores, 0);
  let level: number | null = at(last?.levels, 0);
  let startValue = score;
  let startAt: number | null = score === null ? null : Date.parse(buckets[0]?.start ?? '');
  const values: (number | null)[] = new Array(buckets.length);
  const levels: (number | null)[] = new Array(buckets.length);
  for (let index = 0; index < buckets.length; index++) {
    const pointScore = at(last?.scores, index + 1);
    if (pointScore !== null) {
      score = pointScore;
      level = at(last?.levels, index + 1);
    }
    if (startValue === null && score !== null) {
      startValue = score;
      startAt = Date.parse(buckets[index].end);
    }
    values[index] = score;
    levels[index] = level;
  }
  const lastValue = values[values.length - 1] ?? null;
  const delta = lastValue !== null && startValue !== null ? round4(lastValue - startValue) : null;
  const endAt = buckets.length ? Date.parse(buckets[buckets.length - 1].end) : null;
  const span = endAt !== null && startAt !== null ? endAt - startAt : 0;
  const velocity = delta !== null && span > 0 ? round4(delta / (span / QUARTER_MS)) : null;
  return { teamId, series, values, levels, delta, velocity };
}

/**
 * Per series key and bucket, the sum and count of the teams' values, a series at a time; the
 * organization roll-up is the mean of the teams that have a value then, and how many do.
 */
class RollupSums {
  private readonly sums: Map<string, { total: number[]; count: number[] }>;

  constructor(
    private readonly seriesKeys: readonly string[],
    bucketCount: number,
  ) {
    this.sums = new Map(
      seriesKeys.map((key) => [
        key,
        {
          total: new Array<number>(bucketCount).fill(0),
          count: new Array<number>(bucketCount).fill(0),
        },
      ]),
    );
  }

  add(series: TrendSeries): void {
    const sum = this.sums.get(series.series);
    if (!sum) return;
    series.values.forEach((value, index) => {
      if (value === null) return;
      sum.total[index] += value;
      sum.count[index] += 1;
    });
  }

  rollup(): TrendRollup[] {
    return this.seriesKeys.map((key) => {
      const { total, count } = this.sums.get(key)!;
      return {
        series: key,
        values: total.map((value, index) => ({
          mean: count[index] ? round4(value / count[index]) : null,
          count: count[index],
        })),
      };
    });
  }
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

/** What a trend report is made of: its window, teams, series keys and each bucket's last point. */
export interface TrendReportInput {
  interval: TrendInterval;
  from: Date;
  to: Date;
  buckets: Bucket[];
  teams: TeamRef[];
  series: string[];
  lastPoints: LastPointPerBucket;
}

/**
 * The report in parts, for writers that stream it: the fields before `teamSeries`, each team's
 * series computed when iterated (teams in order), and the organization roll-up of the series
 * iterated so far (all of them once the iteration is done). One series per team and series key
 * (empty ones too, all null).
 */
export function trendReportParts(input: TrendReportInput) {
  const sums = new RollupSums(input.series, input.buckets.length);
  return {
    head: {
      interval: input.interval,
      from: input.from.toISOString(),
      to: input.to.toISOString(),
      buckets: input.buckets,
      teams: input.teams,
      series: input.series,
    },
    *seriesByTeam(): Generator<TrendSeries[]> {
      for (const team of input.teams) {
        const ofTeam = input.series.map((key) =>
          trendSeries(team.id, key, input.buckets, input.lastPoints.of(team.id, key)),
        );
        for (const series of ofTeam) sums.add(series);
        yield ofTeam;
      }
    },
    organization: () => sums.rollup(),
  };
}

/** The whole report as one object (for SVG, HTML, the report card and GraphQL). */
export function buildTrendReport(input: TrendReportInput): TrendReport {
  const parts = trendReportParts(input);
  const teamSeries = [...parts.seriesByTeam()].flat();
  return { ...parts.head, teamSeries, organization: parts.organization() };
}

/**
 * The report as JSON text, a team at a time: the same text as JSON.stringify(buildTrendReport())
 * without holding the whole report or its text (a 5000-team report is 21 MB of JSON).
 */
export function* trendReportJsonChunks(input: TrendReportInput): Generator<string> {
  const parts = trendReportParts(input);
  yield `${JSON.stringify(parts.head).slice(0, -1)},"teamSeries":[`;
  let separator = '';
  for (const ofTeam of parts.seriesByTeam()) {
    if (ofTeam.length === 0) continue;
    yield separator + ofTeam.map((series) => JSON.stringify(series)).join(',');
    separator = ',';
  }
  yield `],"organization":${JSON.stringify(parts.organization())}}`;
}
