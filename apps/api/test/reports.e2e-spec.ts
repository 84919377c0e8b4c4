import { XMLParser, XMLValidator } from 'fast-xml-parser';
import superagent from 'superagent';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { insertSnapshots } from './support/snapshots';
import { startTestApp, TestApp } from './support/test-app';

/** SVG is image/*: superagent would buffer it as binary; read it as text like any XML. */
const asText = superagent.parse.text as unknown as Parameters<superagent.Request['parse']>[0];

describe('trend reports (hand-made snapshot series)', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let org: string;
  const teams: Record<'alpha' | 'evil' | 'idle', string> = { alpha: '', evil: '', idle: '' };
  const EVIL = '=HYPERLINK("http://evil.example","click")';
  const window = 'from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z';
  const http = () => testApp.http();

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
    for (const [key, name, slug] of [
      ['alpha', 'Alpha', 'alpha'],
      ['evil', EVIL, 'evil'],
      ['idle', 'Idle', 'idle'],
    ] as const) {
      teams[key] = (
        await http().post(`${org}/teams`).set(owner.auth).send({ name, slug }).expect(201)
      ).body.id;
    }
    const { alpha, evil } = teams;
    await insertSnapshots(testApp, organizationId, [
      // Alpha testing: carried in from December, two points in February (the later wins),
      // a regression in April, and one point exactly at `to` (outside the window).
      {
        teamId: alpha,
        dimensionKey: 'testing',
        score: 1,
        level: 1,
        recordedAt: '2025-12-20T10:00:00Z',
      },
      {
        teamId: alpha,
        dimensionKey: 'testing',
        score: 1.5,
        level: 1,
        recordedAt: '2026-02-10T10:00:00Z',
      },
      {
        teamId: alpha,
        dimensionKey: 'testing',
        score: 2,
        level: 2,
        recordedAt: '2026-02-20T10:00:00Z',
      },
      {
        teamId: alpha,
        dimensionKey: 'testing',
        score: 1,
        level: 1,
        recordedAt: '2026-04-05T10:00:00Z',
      },
      {
        teamId: alpha,
        dimensionKey: 'testing',
        score: 3,
        level: 3,
        recordedAt: '2026-05-01T00:00:00Z',
      },
      {
        teamId: alpha,
        dimensionKey: null,
        score: 0.5,
        level: 0,
        recordedAt: '2025-12-20T10:00:00Z',
      },
      { teamId: alpha, dimensionKey: null, score: 1, level: 1, recordedAt: '2026-02-20T10:00:00Z' },
      // The team with the formula for a name starts in March.
      {
        teamId: evil,
        dimensionKey: 'testing',
        score: 0.5,
        level: 0,
        recordedAt: '2026-03-15T10:00:00Z',
      },
      {
        teamId: evil,
        dimensionKey: null,
        score: 0.25,
        level: 0,
        recordedAt: '2026-03-15T10:00:00Z',
      },
      {
        teamId: evil,
        dimensionKey: null,
        score: 0.75,
        level: 0,
        recordedAt: '2026-04-30T23:59:59Z',
      },
    ]);
  });
  afterAll(() => testApp.close());

  it('answers the value at the end of each monthly bucket, carried forward, null before the first', async () => {
    const response = await http()
      .get(`${org}/reports/trends?${window}&interval=month`)
      .set(owner.auth)
      .expect(200);
    const report = response.body;
    expect(report.buckets).toEqual([
      { start: '2026-01-01T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' },
      { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z' },
      { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      { start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' },
    ]);
    expect(report.teams.map((t: { name: string }) => t.name)).toEqual([EVIL, 'Alpha', 'Idle']);
    expect(report.series).toEqual(['testing', 'overall']);
    const quarterDays = 365.2425 / 4;
    const round4 = (value: number) => Math.round(value * 10000) / 10000;
    const series = (team: string, key: string) =>
      report.teamSeries.find(
        (s: { teamId: string; series: string }) => s.teamId === team && s.series === key,
      );
    expect(series(teams.alpha, 'testing')).toEqual({
      teamId: teams.alpha,
      series: 'testing',
      values: [1, 2, 2, 1],
      levels: [1, 2, 2, 1],
      delta: 0,
      velocity: 0,
    });
    expect(series(teams.alpha, 'overall')).toMatchObject({
      values: [0.5, 1, 1, 1],
      delta: 0.5,
      // From `from` (a value was carried in) to `to`: 120 days.
      velocity: round4(0.5 / (120 / quarterDays)),
    });
    expect(series(teams.evil, 'testing')).toMatchObject({
      values: [null, null, 0.5, 0.5],
      levels: [null, null, 0, 0],
      delta: 0,
    });
    expect(series(teams.evil, 'overall')).toMatchObject({
      values: [null, null, 0.25, 0.75],
      delta: 0.5,
      // From the end of its first valued bucket (April 1) to `to`: 30 days.
      velocity: round4(0.5 / (30 / quarterDays)),
    });
    expect(series(teams.idle, 'overall')).toMatchObject({
      values: [null, null, null, null],
      delta: null,
      velocity: null,
    });
    expect(report.organization).toEqual([
      {
        series: 'testing',
        values: [
          { mean: 1, count: 1 },
          { mean: 2, count: 1 },
          { mean: 1.25, count: 2 },
          { mean: 0.75, count: 2 },
        ],
      },
      {
        series: 'overall',
        values: [
          { mean: 0.5, count: 1 },
          { mean: 1, count: 1 },
          { mean: 0.625, count: 2 },
          { mean: 0.875, count: 2 },
        ],
      },
    ]);
  });

  it('selects teams and series, and cuts weeks and quarters at calendar boundaries', async () => {
    const only = await http()
      .get(
        `${org}/reports/trends?${window}&teamIds=${teams.alpha}&dimensions=overall&interval=quarter`,
      )
      .set(owner.auth)
      .expect(200);
    expect(only.body.teams.map((t: { id: string }) => t.id)).toEqual([teams.alpha]);
    expect(only.body.teamSeries).toEqual([
      expect.objectContaining({ series: 'overall', values: [1, 1] }),
    ]);
    const weeks = await http()
      .get(
        `${org}/reports/trends?from=2026-02-18T00:00:00Z&to=2026-03-02T00:00:00Z&interval=week&teamIds=${teams.alpha}&dimensions=testing`,
      )
      .set(owner.auth)
      .expect(200);
    // 2026-02-18 is a Wednesday; weeks start on Mondays (Feb 23, Mar 2).
    expect(weeks.body.buckets.map((b: { end: string }) => b.end)).toEqual([
      '2026-02-23T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
    ]);
    expect(weeks.body.teamSeries[0].values).toEqual([2, 2]);
  });

  it('answers CSV with formulas escaped (format=csv and Accept: text/csv)', async () => {
    for (const call of [
      http().get(`${org}/reports/trends?${window}&format=csv`).set(owner.auth),
      http().get(`${org}/reports/trends?${window}`).set(owner.auth).set('Accept', 'text/csv'),
    ]) {
      const response = await call.expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const lines = response.text.trim().split('\n');
      expect(lines[0]).toBe('bucket_start,bucket_end,team_id,team_name,series,score,level,teams');
      // 3 teams x 2 series x 4 buckets, then 2 series x 4 buckets of organization means.
      expect(lines).toHaveLength(1 + 24 + 8);
      const evilRows = lines.filter((line) => line.includes(teams.evil));
      expect(evilRows).toHaveLength(8);
      for (const row of evilRows) {
        // The cell starts with a quote, so no spreadsheet evaluates it.
        expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
      }
      expect(lines).toContain(
        `2026-04-01T00:00:00.000Z,2026-05-01T00:00:00.000Z,${teams.alpha},Alpha,testing,1,1,`,
      );
      expect(lines).toContain(
        '2026-03-01T00:00:00.000Z,2026-04-01T00:00:00.000Z,,organization mean,overall,0.625,,2',
      );
    }
  });

  it('draws well-formed SVG charts (parsed as XML): a line per team and the organization mean', async () => {
    const response = await http()
      .get(`${org}/reports/trends.svg?${window}`)
      .set(owner.auth)
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = response.text;
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['g', 'path', 'text'].includes(name),
    }).parse(svg);
    expect(parsed.svg['@_xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(parsed.svg['@_width']).toBe('800');
    const charts = parsed.svg.g;
    expect(charts).toHaveLength(2);
    // Alpha, the formula team and the organization mean have values; Idle draws nothing.
    for (const chart of charts) {
      expect(
        chart.path.filter((p: { '@_class': string }) => p['@_class'] === 'series'),
      ).toHaveLength(3);
    }
    expect(svg).toContain('=HYPERLINK(&quot;http://evil.example&quot;');
  });

  it('answers the report card, and its heatmap as SVG', async () => {
    const card = await http()
      .get(`${org}/reports/report-card?${window}`)
      .set(owner.auth)
      .expect(200);
    expect(card.body).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-05-01T00:00:00.000Z',
      dimensions: ['testing'],
      mostImproved: [
        { teamId: teams.evil, name: EVIL, delta: 0.5, score: 0.75 },
        { teamId: teams.alpha, name: 'Alpha', delta: 0.5, score: 1 },
      ],
      mostRegressed: [],
      heatmap: [
        { teamId: teams.evil, name: EVIL, levels: [0] },
        { teamId: teams.alpha, name: 'Alpha', levels: [1] },
        { teamId: teams.idle, name: 'Idle', levels: [null] },
      ],
      distribution: [{ dimension: 'testing', counts: [1, 1, 0, 0], unassessed: 1 }],
    });
    const heatmap = await http()
      .get(`${org}/reports/report-card.svg?${window}`)
      .set(owner.auth)
      .buffer(true)
      .parse(asText)
      .expect(200);
    const svg = heatmap.text;
    expect(XMLValidator.validate(svg)).toBe(true);
    expect((svg.match(/<rect class="cell"/g) ?? []).length).toBe(3);
  });

  it('serves one printable page with the charts inline and no script', async () => {
    const page = await http()
      .get(`${org}/reports/trends.html?${window}`)
      .set(owner.auth)
      .expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toMatch(/^<!doctype html>/);
    expect((page.text.match(/<svg /g) ?? []).length).toBe(2);
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).toContain('@media print');
    expect(page.text).toContain('=HYPERLINK(&quot;http://evil.example&quot;');
  });

  it('refuses bad selections with a problem', async () => {
    const other = await signUp(testApp);
    const otherOrg = await createOrganization(testApp, other);
    const foreignTeam = (
      await http()
        .post(`/v1/organizations/${otherOrg}/teams`)
        .set(other.auth)
        .send({ name: 'Theirs', slug: 'theirs' })
        .expect(201)
    ).body.id;
    for (const [query, status] of [
      ['from=2026-05-01T00:00:00Z&to=2026-01-01T00:00:00Z', 400],
      ['interval=day', 400],
      ['teamIds=not-a-uuid', 400],
      ['from=1990-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=week', 400],
      ['dimensions=Testing', 400],
      ['format=xml', 400],
      [`teamIds=${foreignTeam}`, 404],
      [`teamIds=${teams.alpha},${foreignTeam}`, 404],
    ] as const) {
      const response = await http().get(`${org}/reports/trends?${query}`).set(owner.auth);
      expect([query, response.status]).toEqual([query, status]);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await http().get(`${org}/reports/trends.svg?interval=day`).set(owner.auth).expect(400);
  });
});
