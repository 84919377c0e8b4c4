import { stringify } from 'csv-stringify/sync';
import { TREND_CSV_COLUMNS, trendCsvChunks } from './csv';
import {
  buildTrendReport,
  LastPointPerBucket,
  OVERALL,
  trendBuckets,
  type TrendReport,
  trendReportJsonChunks,
} from './trends';

/** The CSV as csv-stringify writes it record by record: what trendCsvChunks must equal. */
function referenceCsv(report: TrendReport): string {
  const nameOf = new Map(report.teams.map((team) => [team.id, team.name]));
  const records: (string | number | null)[][] = [];
  for (const series of report.teamSeries) {
    report.buckets.forEach((bucket, index) => {
      records.push([
        bucket.start,
        bucket.end,
        series.teamId,
        nameOf.get(series.teamId) ?? null,
        series.series,
        series.values[index],
        series.levels[index],
        null,
      ]);
    });
  }
  for (const rollup of report.organization) {
    report.buckets.forEach((bucket, index) => {
      const point = rollup.values[index];
      records.push([
        bucket.start,
        bucket.end,
        null,
        'organization mean',
        rollup.series,
        point.mean,
        null,
        point.count,
      ]);
    });
  }
  return stringify(records, {
    header: true,
    escape_formulas: true,
    columns: [...TREND_CSV_COLUMNS],
  });
}

describe('trendCsvChunks and trendReportJsonChunks', () => {
  const from = new Date('2026-01-10T00:00:00Z');
  const to = new Date('2026-04-20T12:00:00Z');
  const buckets = trendBuckets(from, to, 'month');
  const teams = [
    { id: 'a1', name: '=HYPERLINK("http://evil.example","click")' },
    { id: 'b2', name: 'Comma, "quoted"\nand a new line' },
    { id: 'c3', name: '+1 -2 @3' },
    { id: 'd4', name: '\tTabbed' },
    { id: 'e5', name: 'Plain' },
  ];
  const lastPoints = new LastPointPerBucket(buckets);
  teams.forEach((team, index) => {
    lastPoints.offer(team.id, 'testing', Date.UTC(2026, 0, 1), 0.5 + index / 10, 0);
    lastPoints.offer(team.id, OVERALL, Date.UTC(2026, 1, 3 + index), 1.2345 + index, 1);
    if (index % 2) lastPoints.offer(team.id, '=cmd|x', Date.UTC(2026, 2, 1), 2, 2);
  });
  const input = {
    interval: 'month' as const,
    from,
    to,
    buckets,
    teams,
    series: ['=cmd|x', 'testing', OVERALL],
    lastPoints,
  };
  const report = buildTrendReport(input);

  it('writes exactly what csv-stringify writes record by record, hostile names included', () => {
    const csv = [...trendCsvChunks(input)].join('');
    expect(csv).toBe(referenceCsv(report));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    // Header, a row per team, series and bucket plus the means, the final newline; team b2's
    // quoted name spans two lines in each of its 3 x 4 rows.
    const rows = (teams.length * 3 + 3) * buckets.length;
    expect(csv.split('\n')).toHaveLength(1 + rows + 1 + 3 * buckets.length);
  });

  it('yields a chunk per team, then one of the organization means', () => {
    const chunks = [...trendCsvChunks(input)];
    expect(chunks).toHaveLength(1 + teams.length + 1);
    expect(chunks[2].startsWith(`${buckets[0].start},${buckets[0].end},b2,`)).toBe(true);
  });

  it('streams the JSON text JSON.stringify makes of the whole report, a chunk per team', () => {
    const chunks = [...trendReportJsonChunks(input)];
    expect(chunks.join('')).toBe(JSON.stringify(report));
    expect(chunks).toHaveLength(1 + teams.length + 1);
    const empty = { ...input, teams: [], lastPoints: new LastPointPerBucket(buckets) };
    expect([...trendReportJsonChunks(empty)].join('')).toBe(
      JSON.stringify(buildTrendReport(empty)),
    );
    expect(JSON.parse([...trendReportJsonChunks(empty)].join('')).teamSeries).toEqual([]);
  });

  it('writes only the header for a report without teams', () => {
    const empty = {
      ...input,
      teams: [],
      series: [],
      lastPoints: new LastPointPerBucket(buckets),
    };
    expect([...trendCsvChunks(empty)].join('')).toBe(referenceCsv(buildTrendReport(empty)));
  });
});
