import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildReportCard } from './report-card';
import { heatmapSvg, trendChartsSvg } from './svg';
import { buildTrendReport, OVERALL, trendBuckets, trendSeries } from './trends';

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
    const series = trendSeries('t', 'testing', buckets, [
      { teamId: 't', series: 'testing', bucket: 2, score: 1.5, level: 1 },
      { teamId: 't', series: 'testing', bucket: 4, score: 2, level: 2 },
    ]);
    expect(series.values).toEqual([null, 1.5, 1.5, 2]);
    expect(series.levels).toEqual([null, 1, 1, 2]);
    // From the end of the first valued bucket (March 1) to the end of April: 61 days.
    expect(series.delta).toBe(0.5);
    expect(series.velocity).toBeCloseTo(0.5 / ((61 * 86400000) / ((365.2425 / 4) * 86400000)), 3);
  });
  it('starts from the value carried into the window', () => {
    const series = trendSeries('t', OVERALL, buckets, [
      { teamId: 't', series: OVERALL, bucket: 0, score: 1, level: 1 },
      { teamId: 't', series: OVERALL, bucket: 3, score: 0.5, level: 0 },
    ]);
    expect(series.values).toEqual([1, 1, 0.5, 0.5]);
    expect(series.delta).toBe(-0.5);
    expect(series.velocity).toBeLessThan(0);
  });
});

describe('charts', () => {
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
    points: [
      { teamId: 'a', series: 'testing', bucket: 1, score: 1, level: 1 },
      { teamId: 'a', series: OVERALL, bucket: 1, score: 0.5, level: 0 },
      { teamId: 'a', series: OVERALL, bucket: 3, score: 1.5, level: 1 },
      { teamId: 'b', series: OVERALL, bucket: 2, score: 2, level: 2 },
      { teamId: 'b', series: OVERALL, bucket: 3, score: 1, level: 1 },
    ],
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
