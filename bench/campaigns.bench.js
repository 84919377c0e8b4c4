'use strict';
// Issue 11's targets, on our built service (PROCESS_ROLE=api) and a throwaway embedded PostgreSQL
// (or BENCH_DATABASE_URL), as bench/run.js starts them:
//   1. closing a campaign of 5,000 respondents over 100 teams on the default model in < 3 s end to
//      end: POST .../campaigns/{id}/close, which aggregates every team, scores and stores 100
//      assessments with their answers, appends the progress snapshots and audits, in one
//      transaction. Timed from the request to the answer, `--closes` times (fresh campaign each;
//      median and max).
//   2. saving a response at 50 connections, p99 < 50 ms: PUT /v1/campaign-responses/{token}
//      (personal links; each connection's requests rotate over distinct participants, so the
//      figure is the route's cost, not one row's lock queue).
// Set-up goes through the API where it is the product's path (sign-up, organization, teams,
// campaign with 5,000 emailed participants, launch); the 5,000 submitted responses (~60 answers
// each) and the personal-link hashes are written with SQL as the owner, since answering 5,000
// questionnaires over HTTP is not what is measured. Usage: `npm run build && node
// bench/campaigns.bench.js [--closes=3] [--duration=10] [--connections=50]`.
const { createHash, randomBytes } = require('node:crypto');
const path = require('node:path');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { describeMachine } = require('./lib/machine');
const { startApp, startDatabase } = require('./lib/servers');

const TEAMS = 100;
const RESPONDENTS = 5000;
const dist = path.join(__dirname, '..', 'dist');

function option(name, fallback) {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag ? Number(flag.split('=')[1]) : fallback;
}

async function call(url, method, route, body, token) {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok)
    throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const closes = option('closes', 3);
  const durationS = option('duration', 10);
  const connections = option('connections', 50);
  const { defaultMaturityModel } = require(path.join(dist, 'libs/maturity-model/src'));
  const { builtinVersionId } = require(path.join(dist, 'libs/database/src/builtin-catalogue.js'));
  const keys = defaultMaturityModel.dimensions.flatMap((d) =>
    d.levels.flatMap((l) => l.criteria.map((c) => c.key)),
  );
  const machine = describeMachine();
  console.log(`machine: ${machine.os}; ${machine.cpu} x${machine.cores}; node ${machine.node}`);

  const database = await startDatabase();
  const app = await startApp(database, 10);
  const owner = new Client({ connectionString: database.migrationUrl });
  await owner.connect();
  try {
    const suffix = randomBytes(4).toString('hex');
    const { accessToken } = await call(app.url, 'POST', '/v1/auth/signup', {
      email: `bench-${suffix}@example.com`,
      password: 'benchmark password 123',
      name: 'Bench',
    });
    const org = await call(
      app.url,
      'POST',
      '/v1/organizations',
      { name: 'Bench', slug: `bench-${suffix}` },
      accessToken,
    );
    const base = `/v1/organizations/${org.id}`;
    // The owner is under row-level security too: this session works in the bench organization.
    await owner.query(`SELECT set_config('app.organization_id', $1, false)`, [org.id]);
    const teamIds = [];
    for (let i = 0; i < TEAMS; i++) {
      const team = await call(
        app.url,
        'POST',
        `${base}/teams`,
        { name: `Team ${i}`, slug: `team-${i}` },
        accessToken,
      );
      teamIds.push(team.id);
    }

    /** A launched campaign with RESPONDENTS emailed participants, all submitted (SQL). */
    async function campaignWithResponses(round) {
      const participants = Array.from({ length: RESPONDENTS }, (_, i) => ({
        teamId: teamIds[i % TEAMS],
        email: `p${i}-r${round}@example.com`,
      }));
      const campaign = await call(
        app.url,
        'POST',
        `${base}/campaigns`,
        {
          name: `Bench ${round}`,
          modelVersionId: builtinVersionId('mlops-maturity', 1),
          teamIds,
          participants,
          opensAt: new Date(Date.now() - 60_000).toISOString(),
          closesAt: new Date(Date.now() + 86_400_000).toISOString(),
          aggregation: { rule: 'majority' },
          anonymous: true,
        },
        accessToken,
      );
      await call(
        app.url,
        'POST',
        `${base}/campaigns/${campaign.id}/launch`,
        undefined,
        accessToken,
      );
      const statuses = ['met', 'met', 'not_met', 'not_applicable', 'unknown'];
      await owner.query(
        `INSERT INTO campaign_answers (organization_id, participant_id, criterion_key, status, updated_at)
         SELECT p.organization_id, p.id, k.key,
                ($3::text[])[1 + abs(hashtext(p.id::text || k.key)) % 5]::"AnswerStatus", now()
           FROM campaign_participants p CROSS JOIN unnest($2::text[]) AS k(key)
          WHERE p.campaign_id = $1`,
        [campaign.id, keys, statuses],
      );
      const submitted = await owner.query(
        'UPDATE campaign_participants SET submitted_at = now() WHERE campaign_id = $1',
        [campaign.id],
      );
      if (submitted.rowCount !== RESPONDENTS) throw new Error(`${submitted.rowCount} responses`);
      return campaign.id;
    }

    // 1. Close.
    const closeMs = [];
    for (let round = 0; round < closes; round++) {
      const campaignId = await campaignWithResponses(round);
      const started = process.hrtime.bigint();
      await call(app.url, 'POST', `${base}/campaigns/${campaignId}/close`, undefined, accessToken);
      closeMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      console.log(`close #${round + 1}: ${closeMs[round].toFixed(0)} ms`);
    }
    const { rows } = await owner.query(
      `SELECT count(*)::int AS n FROM assessments WHERE source = 'campaign' AND organization_id = $1`,
      [org.id],
    );
    console.log(`campaign assessments stored: ${rows[0].n} (expected ${TEAMS * closes})`);

    // 2. Saving a response through personal links (an open campaign, fresh participants).
    const participants = Array.from({ length: 1000 }, (_, i) => ({
      teamId: teamIds[i % TEAMS],
      email: `save-${i}@example.com`,
    }));
    const open = await call(
      app.url,
      'POST',
      `${base}/campaigns`,
      {
        name: 'Bench saves',
        modelVersionId: builtinVersionId('mlops-maturity', 1),
        teamIds,
        participants,
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        aggregation: { rule: 'majority' },
        anonymous: false,
      },
      accessToken,
    );
    await call(app.url, 'POST', `${base}/campaigns/${open.id}/launch`, undefined, accessToken);
    const { rows: people } = await owner.query(
      'SELECT id FROM campaign_participants WHERE campaign_id = $1 ORDER BY id',
      [open.id],
    );
    const tokens = [];
    for (const person of people) {
      const token = `mcr_${org.id}.${randomBytes(32).toString('base64url')}`;
      tokens.push(token);
      await owner.query(
        `UPDATE campaign_participants SET token_hash = $1, token_expires_at = now() + interval '1 day' WHERE id = $2`,
        [createHash('sha256').update(token).digest('hex'), person.id],
      );
    }
    let next = 0;
    const body = JSON.stringify({
      answers: keys.slice(0, 10).map((criterionKey, i) => ({
        criterionKey,
        status: i % 2 ? 'met' : 'not_met',
        note: 'benchmark',
      })),
    });
    const run = (duration) =>
      new Promise((resolve, reject) =>
        autocannon(
          {
            url: app.url,
            connections,
            duration,
            requests: [
              {
                method: 'PUT',
                headers: { 'content-type': 'application/json' },
                body,
                setupRequest: (request) => ({
                  ...request,
                  path: `/v1/campaign-responses/${tokens[next++ % tokens.length]}`,
                }),
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      );
    // One at a time first: the route's own latency, without queueing for the pool.
    const sequential = [];
    for (let i = 0; i < 50; i++) {
      const started = process.hrtime.bigint();
      await call(
        app.url,
        'PUT',
        `/v1/campaign-responses/${tokens[next++ % tokens.length]}`,
        JSON.parse(body),
      );
      sequential.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    console.log(`save response, one at a time: median ${median(sequential).toFixed(1)} ms`);
    await run(3);
    const save = await run(durationS);
    const failed = save.errors + save.timeouts + save.non2xx;
    console.log(
      `save response: ${Math.round(save.requests.average)} req/s, p50 ${save.latency.p50} ms, ` +
        `p99 ${save.latency.p99} ms, failed ${failed} of ${save.requests.total}`,
    );
    console.log(
      JSON.stringify({
        closeMedianMs: Math.round(median(closeMs)),
        closeMaxMs: Math.round(Math.max(...closeMs)),
        closes: closeMs.map((ms) => Math.round(ms)),
        saveSequentialMedianMs: Math.round(median(sequential) * 10) / 10,
        saveRequestsPerSec: Math.round(save.requests.average),
        saveP50Ms: save.latency.p50,
        saveP99Ms: save.latency.p99,
        saveFailed: failed,
        connections,
        durationS,
      }),
    );
  } finally {
    await owner.end();
    await app.stop();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
