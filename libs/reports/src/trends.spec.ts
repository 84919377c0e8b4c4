import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildReportCard } from './report-card';
import { heatmapSvg, trendChartsSvg } from './svg';
import { buildTrendReport, LastPointPerBucket, OVERALL, trendBuckets, trendSeries } from './trends';

describe('trendBuckets', () => {
  it('cuts the window at UTC calendar boundaries, first and last bucket clipped', () => {
    expect(
      trendBuckets(new Date('2026-01-15T00:00:00Z'), new Date('2026-04-10T00:00:00Z'), 'month'),
    ).toEqual([
      { start: '2026-01-15T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' },
      { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z' },
      { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      { start: '2026-04-01T00:00:00.000Z', end: '2026-04-10T00:00:00.000Z' },
    ]);
    // 2026-01-07 is a Wednesday: the first week ends on Monday the 12th.
    expect(
      trendBuckets(new Date('2026-01-07T10:00:00Z'), new Date('2026-01-20T00:00:00Z'), 'week'),
    ).toEqual([
      { start: '2026-01-07T10:00:00.000Z', end: '2026-01-12T00:00:00.000Z' },
      { start: '2026-01-12T00:00:00.000Z', end: '2026-01-19T00:00:00.000Z' },
      { start: '2026-01-19T00:00:00.000Z', end: '2026-01-20T00:00:00.000Z' },
    ]);
    expect(
      trendBuckets(new Date('2025-11-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z'), 'quarter'),
    ).toEqual([
      { start: '2025-11-01T00:00:00.000Z', end: '2026-01-01T00:00:00.000Z' },
      { start: '2026-01-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      { start: '2026-04-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z' },
    ]);
    expect(() =>
      trendBuckets(new Date('2000-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), 'week', 100),
    ).toThrow(RangeError);
  });
});

describe('trendSeries', () => {
  const buckets = trendBuckets(
    new Date('2026-01-01T00:00:00Z'),
    new Date('2026-05-01T00:00:00Z'),
    'month',
  );
  it('carries values forward and is null before the first snapshot', () => {
    const series = trendSeries('t', 'testing', buckets, {
      scores: [NaN, NaN, 1.5, NaN, 2],
      levels: [NaN, NaN, 1, NaN, 2],
    });
    expect(series.values).toEqual([null, 1.5, 1.5, 2]);
    expect(series.levels).toEqual([null, 1, 1, 2]);
    // From the end of the first valued bucket (March 1) to the end of April: 61 days.
    expect(series.delta).toBe(0.5);
    expect(series.velocity).toBeCloseTo(0.5 / ((61 * 86400000) / ((365.2425 / 4) * 86400000)), 3);
  });
  it('starts from the value carried into the window', () => {
    const series = trendSeries('t', OVERALL, buckets, {
      scores: [1, NaN, NaN, 0.5, NaN],
      levels: [1, NaN, NaN, 0, NaN],
    });
    expect(series.values).toEqual([1, 1, 0.5, 0.5]);
    expect(series.delta).toBe(-0.5);
    expect(series.velocity).toBeLessThan(0);
  });
});

describe('LastPointPerBucket', () => {
  const buckets = trendBuckets(
    new Date('2026-01-15T00:00:00Z'),
    new Date('2026-04-10T00:00:00Z'),
    'month',
  );
  const at = (iso: string) => Date.parse(iso);

  it('numbers instants: 0 before the window, each bucket from its start, -1 from the end', () => {
    const points = new LastPointPerBucket(buckets);
    expect(points.bucketAt(at('2020-01-01T00:00:00Z'))).toBe(0);
    expect(points.bucketAt(at('2026-01-14T23:59:59.999Z'))).toBe(0);
    expect(points.bucketAt(at('2026-01-15T00:00:00Z'))).toBe(1);
    expect(points.bucketAt(at('2026-01-31T23:59:59.999Z'))).toBe(1);
    expect(points.bucketAt(at('2026-02-01T00:00:00Z'))).toBe(2);
    expect(points.bucketAt(at('2026-04-09T23:59:59.999Z'))).toBe(4);
    expect(points.bucketAt(at('2026-04-10T00:00:00Z'))).toBe(-1);
  });

  it('keeps the latest point of each bucket whatever the order they come in', () => {
    const points = new LastPointPerBucket(buckets);
    points.offer('t', 'testing', at('2026-02-20T00:00:00Z'), 2, 2);
    points.offer('t', 'testing', at('2026-02-03T00:00:00Z'), 1, 1);
    points.offer('t', 'testing', at('2025-12-01T00:00:00Z'), 0.5, 0);
    points.offer('t', 'testing', at('2026-01-01T00:00:00Z'), 0.7, 0);
    points.offer('t', 'testing', at('2026-04-10T00:00:00Z'), 3, 3);
    points.offer('t', OVERALL, at('2026-03-01T00:00:00Z'), 1, 1);
    expect(points.of('t', 'testing')).toEqual({
      scores: [0.7, NaN, 2, NaN, NaN],
      levels: [0, NaN, 2, NaN, NaN],
      at: expect.any(Array),
    });
    expect(points.of('t', 'deployment')).toBeUndefined();
    expect(points.seriesKeys().sort()).toEqual([OVERALL, 'testing']);
  });
});

describe('charts', () => {
  const lastPoints = new LastPointPerBucket(
    trendBuckets(new Date('2026-01-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), 'month'),
  );
  const month = (index: number) => Date.UTC(2026, index - 1, 10);
  lastPoints.offer('a', 'testing', month(1), 1, 1);
  lastPoints.offer('a', OVERALL, month(1), 0.5, 0);
  lastPoints.offer('a', OVERALL, month(3), 1.5, 1);
  lastPoints.offer('b', OVERALL, month(2), 2, 2);
  lastPoints.offer('b', OVERALL, month(3), 1, 1);
  const report = buildTrendReport({
    interval: 'month',
    from: new Date('2026-01-01T00:00:00Z'),
    to: new Date('2026-04-01T00:00:00Z'),
    buckets: trendBuckets(
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-04-01T00:00:00Z'),
      'month',
    ),
    teams: [
      { id: 'a', name: '=HYPERLINK("http://x")' },
      { id: 'b', name: 'B & <b>' },
    ],
    series: ['testing', OVERALL],
    lastPoints,
  });
  it('renders well-formed SVG with a path per series, escaping names', () => {
    const svg = trendChartsSvg(report, 'Trends <all>');
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
    expect(parsed.svg['@_width']).toBe('800');
    expect(svg).toContain('B &amp; &lt;b&gt;');
    expect((svg.match(/class="series"/g) ?? []).length).toBe(5);
  });
  it('computes the report card and renders its heatmap', () => {
    const card = buildReportCard(report);
    expect(card.mostImproved.map((c) => [c.teamId, c.delta])).toEqual([['a', 1]]);
    expect(card.mostRegressed.map((c) => [c.teamId, c.delta])).toEqual([['b', -1]]);
    expect(card.heatmap).toEqual([
      { teamId: 'a', name: '=HYPERLINK("http://x")', levels: [1] },
      { teamId: 'b', name: 'B & <b>', levels: [null] },
    ]);
    expect(card.distribution).toEqual([
      { dimension: 'testing', counts: [0, 1, 0, 0], unassessed: 1 },
    ]);
    const svg = heatmapSvg(card, 'Heatmap');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect((svg.match(/class="cell"/g) ?? []).length).toBe(2);
  });
});
