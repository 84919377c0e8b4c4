'use strict';
// Trend reports at scale (issue 10): `npm run build && node bench/trends.bench.js`.
//
// One database (embedded, or BENCH_DATABASE_URL/BENCH_DATABASE_MIGRATION_URL), our built service
// (PROCESS_ROLE=api) and the raw baseline (bench/lib/baseline-server.js: node:http + pg, the same
// token check, tenant entry and SQL in one message, the report built by the same pure library),
// each in its own process as bench/run.js starts them. Seeds, with SQL, an organization of TEAMS
// teams with YEARS years of weekly snapshots for 8 dimensions and overall (500 x 3 -> ~700k rows),
// then measures latency one request at a time (the targets are latencies, not throughput):
// - the trends JSON for all teams, monthly, over the whole history (target p95 < 150 ms);
// - one team's trend (target p95 < 20 ms);
// - the SVG and the CSV of the all-teams report (target p95 < 300 ms);
// then adds another organization with SCALE x the teams (SCALE x the rows in the database) and
// measures one team's trend again (target: within 2x) and the big organization's all-teams report
// interleaved with the first one's (target: grows no faster than the number of teams it returns).
// Each measurement runs ROUNDS rounds and reports the median (a shared machine is noisy).
// Options (environment): BENCH_TRENDS_TEAMS (500), BENCH_TRENDS_YEARS (3), BENCH_TRENDS_SCALE (10;
// 0 skips that part), BENCH_TRENDS_REQUESTS (30 per measurement and round), BENCH_TRENDS_ROUNDS
// (3), --no-write.
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');
const { describeMachine } = require('./lib/machine');
const { startApp, startBaseline, startDatabase } = require('./lib/servers');

const TEAMS = Number(process.env.BENCH_TRENDS_TEAMS ?? 500);
const YEARS = Number(process.env.BENCH_TRENDS_YEARS ?? 3);
const SCALE = Number(process.env.BENCH_TRENDS_SCALE ?? 10);
const REQUESTS = Number(process.env.BENCH_TRENDS_REQUESTS ?? 30);
const ROUNDS = Number(process.env.BENCH_TRENDS_ROUNDS ?? 3);
const DIMENSIONS = [
  'version_control',
  'experiment_tracking',
  'data_management',
  'pipeline_automation',
  'testing',
  'deployment',
  'monitoring',
  'governance',
];
const root = path.join(__dirname, '..');

async function post(url, route, body, token) {
  const response = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** An organization through the API, then its teams and snapshots with SQL (fast, in bulk). */
async function seedOrganization(database, appUrl, token, label, teams, years) {
  const organization = await post(
    appUrl,
    '/v1/organizations',
    { name: `Trends ${label}`, slug: `trends-${label}-${Date.now().toString(36)}` },
    token,
  );
  const { builtinVersionId } = require('../dist/libs/database/src/builtin-catalogue');
  const client = new Client({ connectionString: database.migrationUrl });
  await client.connect();
  const started = performance.now();
  try {
    await client.query('BEGIN');
    // Session-wide: the counts and the sample team after COMMIT read under the same tenant.
    await client.query(`SELECT set_config('app.organization_id', $1, false)`, [organization.id]);
    await client.query(
      `INSERT INTO teams (organization_id, name, slug, updated_at)
       SELECT $1, 'Team ' || lpad(i::text, 5, '0'), 'team-' || i, now()
         FROM generate_series(1, $2) AS i`,
      [organization.id, teams],
    );
    await client.query('COMMIT');
    // Weekly snapshots from `years` ago, each team on its own weekday and its own slope; one
    // transaction a week, as they would arrive: the roll-up's rows are updated once a week per
    // team and series, and PostgreSQL prunes their old versions between transactions as it does
    // in service (one transaction for all of them would leave ~9 dead versions of every row).
    for (let week = 0; week < years * 52; week++) {
      await client.query(
        `INSERT INTO progress_snapshots (organization_id, team_id, dimension_key, level, score,
                                         model_version_id, cause, cause_id, recorded_at)
         SELECT $1, t.id, d.key, least(3, floor(s.score))::int, s.score, $2, 'assessment',
                gen_random_uuid(),
                now() - make_interval(days => $3 * 365) + make_interval(days => $5::int * 7)
                      + make_interval(hours => (hashtext(t.id::text) & 1023) % 168)
           FROM teams t
          CROSS JOIN unnest($4::text[] || ARRAY[NULL]::text[]) AS d(key)
          CROSS JOIN LATERAL (SELECT round(least(3, $5::int * (0.004 + (hashtext(t.id::text) & 255) / 25600.0)
                                                 + random() * 0.3)::numeric, 4)::float8 AS score) s
          WHERE t.organization_id = $1`,
        [organization.id, builtinVersionId('mlops-maturity', 1), years, DIMENSIONS, week],
      );
    }
    await client.query('ANALYZE teams');
    // What autovacuum does to an append-only table in steady state: statistics and the
    // visibility map (which lets the trends read be an index-only scan).
    await client.query('VACUUM ANALYZE progress_snapshots');
    await client.query('VACUUM ANALYZE progress_snapshot_years');
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM teams WHERE organization_id = $1)::int AS teams,
              (SELECT count(*) FROM progress_snapshots WHERE organization_id = $1)::int AS rows`,
      [organization.id],
    );
    if (process.env.BENCH_TRENDS_EXPLAIN) {
      // The all-teams monthly read exactly as the service builds it.
      const {
        ReportsRepository,
      } = require('../dist/apps/api/src/modules/reports/reports.repository');
      const { trendBuckets } = require('../dist/libs/reports/src');
      const to = new Date();
      const buckets = trendBuckets(new Date(to.getTime() - years * 365 * 86_400_000), to, 'month');
      const teamIds = (
        await client.query('SELECT id::text AS id FROM teams WHERE organization_id = $1', [
          organization.id,
        ])
      ).rows.map((row) => row.id);
      // The first of its reads (one per 500 teams).
      const [read] = new ReportsRepository().lastPoints(organization.id, {
        teams: { all: teamIds },
        interval: 'month',
        buckets,
        from: new Date(buckets[0].start),
        to,
        dimensions: undefined,
        overall: true,
      });
      const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${read.sql.text}`);
      console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));
      // The same read without EXPLAIN's per-row timing: PostgreSQL's time plus pg's row parsing,
      // the part of a request's latency that is database work.
      const times = [];
      let points = 0;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        points = (await client.query(read.sql.text)).rows.length;
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      console.log(`the read alone: ${points} rows, median ${times[2].toFixed(1)} ms of 5`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `seeded ${label}: ${rows[0].teams} teams, ${rows[0].rows} snapshots in ${seconds} s`,
    );
    const oneTeam = (
      await client.query(`SELECT id FROM teams WHERE organization_id = $1 ORDER BY name LIMIT 1`, [
        organization.id,
      ])
    ).rows[0].id;
    return { id: organization.id, teams: rows[0].teams, rows: rows[0].rows, oneTeam };
  } finally {
    await client.end();
  }
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

const round1 = (value) => Math.round(value * 10) / 10;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One request; its time in ms and its body's size. */
async function timed(url, route, token) {
  const started = performance.now();
  const response = await fetch(`${url}${route}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(
      `${route} answered ${response.status}: ${Buffer.from(body).toString().slice(0, 300)}`,
    );
  }
  return { ms: performance.now() - started, bytes: body.byteLength };
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: round1(percentile(sorted, 0.5)),
    p95: round1(percentile(sorted, 0.95)),
    max: round1(sorted[sorted.length - 1]),
  };
}

/**
 * Requests to each of `targets` ({url, route}) in turn, `requests` times, after three warm-ups
 * each: interleaved, so that every target sees the same moments of a shared, noisy machine.
 * Returns each target's p50/p95/max (ms) and body size.
 */
async function interleaved(targets, token, requests) {
  for (const target of targets) {
    for (let i = 0; i < 3; i++) await timed(target.url, target.route, token);
  }
  const times = targets.map(() => []);
  const bytes = targets.map(() => 0);
  for (let i = 0; i < requests; i++) {
    for (const [index, target] of targets.entries()) {
      const result = await timed(target.url, target.route, token);
      times[index].push(result.ms);
      bytes[index] = result.bytes;
    }
  }
  return targets.map((_target, index) => ({ ...summary(times[index]), bytes: bytes[index] }));
}

/** `ROUNDS` rounds of interleaved(); per target the median over rounds of p50, p95 and max. */
async function rounds(targets, token, requests) {
  const results = [];
  for (let round = 0; round < ROUNDS; round++) {
    results.push(await interleaved(targets, token, requests));
  }
  return targets.map((_target, index) => {
    const of = (key) => results.map((result) => result[index][key]);
    return {
      p50: median(of('p50')),
      p95: median(of('p95')),
      max: Math.max(...of('max')),
      p95s: of('p95'),
      bytes: results[0][index].bytes,
      rounds: results.map((result) => result[index]),
    };
  });
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'libs', 'reports', 'src', 'index.js'))) {
    throw new Error('dist/ is missing or old: run `npm run build` first.');
  }
  const machine = describeMachine();
  const database = await startDatabase();
  const rows = [];
  try {
    const [app, baseline] = await Promise.all([
      startApp(database, 10),
      startBaseline(database, 10),
    ]);
    try {
      const suffix = Math.random().toString(36).slice(2, 10);
      const { accessToken: token } = await post(app.url, '/v1/auth/signup', {
        email: `trends-${suffix}@example.com`,
        password: 'benchmark password 123',
        name: 'Bench',
      });
      const base = await seedOrganization(database, app.url, token, 'base', TEAMS, YEARS);
      const window = `from=${encodeURIComponent(new Date(Date.now() - YEARS * 365 * 86_400_000 - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
      const measure = async (name, target, route, compareBaseline) => {
        const targets = [{ url: app.url, route }];
        if (compareBaseline) targets.push({ url: baseline.url, route });
        const [ours, raw] = await rounds(targets, token, REQUESTS);
        const ratio = raw
          ? median(ours.rounds.map((result, index) => result.p50 / raw.rounds[index].p50))
          : undefined;
        rows.push({ name, target, ours, raw, ratio });
        console.log(
          `${name}: ours p50 ${ours.p50} p95 ${ours.p95} ms (per round ${ours.p95s.join(', ')}; ${ours.bytes} bytes)` +
            (raw
              ? `; baseline p50 ${raw.p50} p95 ${raw.p95} ms; ours/baseline ${ratio.toFixed(2)}`
              : ''),
        );
        return ours;
      };
      const reports = (org) => `/v1/organizations/${org.id}/reports`;
      const allRoute = (org) => `${reports(org)}/trends?${window}&interval=month`;
      const oneRoute = `${reports(base)}/trends?${window}&interval=month&teamIds=${base.oneTeam}`;
      await measure(
        `all ${base.teams} teams, monthly, ${YEARS} y (JSON)`,
        'p95 < 150 ms',
        allRoute(base),
        true,
      );
      const one = await measure('one team, monthly (JSON)', 'p95 < 20 ms', oneRoute, true);
      await measure(
        `all ${base.teams} teams (SVG, overall series)`,
        'p95 < 300 ms',
        `${reports(base)}/trends.svg?${window}&interval=month&dimensions=overall`,
        false,
      );
      await measure(
        `all ${base.teams} teams (CSV)`,
        'p95 < 300 ms',
        `${reports(base)}/trends?${window}&interval=month&format=csv`,
        false,
      );
      if (SCALE > 1) {
        const big = await seedOrganization(database, app.url, token, 'big', TEAMS * SCALE, YEARS);
        const oneAfter = await measure(
          `one team, with ${SCALE}x the rows in the database`,
          `within 2x of ${one.p95} ms`,
          oneRoute,
          true,
        );
        // The growth: both organizations' reports interleaved, each round's ratio of medians.
        const growth = [];
        for (let round = 0; round < ROUNDS; round++) {
          const [small, large] = await interleaved(
            [
              { url: app.url, route: allRoute(base) },
              { url: app.url, route: allRoute(big) },
            ],
            token,
            Math.max(5, Math.round(REQUESTS / 3)),
          );
          growth.push({ small, large, ratio: large.p50 / small.p50 });
          console.log(
            `all teams, round ${round + 1}: ${base.teams} teams p50 ${small.p50} ms, ${big.teams} teams p50 ${large.p50} ms: ${(large.p50 / small.p50).toFixed(2)}x`,
          );
        }
        const growthRatio = median(growth.map((round) => round.ratio));
        rows.push({
          name: `all ${big.teams} teams of the ${SCALE}x organization, against all ${base.teams} (interleaved)`,
          target: `<= ${SCALE}x`,
          ours: {
            p50: median(growth.map((round) => round.large.p50)),
            p95: median(growth.map((round) => round.large.p95)),
            max: Math.max(...growth.map((round) => round.large.max)),
            bytes: growth[0].large.bytes,
          },
          growth: growthRatio,
          growthPerRound: growth.map((round) => round.ratio),
        });
        console.log(
          `one team: ${(oneAfter.p95 / one.p95).toFixed(2)}x; all teams: ${growthRatio.toFixed(2)}x (median of rounds' p50 ratios) for ${SCALE}x the teams`,
        );
      }
    } finally {
      await Promise.all([app.stop(), baseline.stop()]);
    }
  } finally {
    await database.stop();
  }
  if (!process.argv.includes('--no-write')) {
    const lines = [
      '',
      `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}: trend reports (bench/trends.bench.js)`,
      '',
      `- Machine: ${machine.os}; ${machine.cpu}, ${machine.cores} cores; ${machine.memoryGiB} GiB RAM; Node ${machine.node}`,
      `- ${TEAMS} teams x ${YEARS} years of weekly snapshots x 9 series; one request at a time, ${ROUNDS} rounds of ${REQUESTS} timed requests after 3 warm-ups (ours and the baseline interleaved), figures the median of the rounds; ours PROCESS_ROLE=api, pool 10; ${database.description}`,
      '',
      '| Request | Target | Ours p50 / p95 / max ms (p95 per round) | Baseline p50 / p95 ms | Ours / baseline (p50) | Bytes |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (row) =>
          `| ${row.name} | ${row.target} | ${row.ours.p50} / ${row.ours.p95} / ${row.ours.max}${row.ours.p95s ? ` (${row.ours.p95s.join(', ')})` : ''} | ${row.raw ? `${row.raw.p50} / ${row.raw.p95}` : '-'} | ${row.ratio ? row.ratio.toFixed(2) : row.growth ? `growth ${row.growth.toFixed(2)}x (rounds ${row.growthPerRound.map((ratio) => ratio.toFixed(2)).join(', ')})` : '-'} | ${row.ours.bytes} |`,
      ),
      '',
    ];
    fs.appendFileSync(path.join(root, 'BENCHMARKS.md'), lines.join('\n'));
    console.log('appended to BENCHMARKS.md');
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
