'use strict';
// GraphQL's dashboard query against the REST calls a client makes for the same data, in one run:
// `npm run bench:graphql` (builds first). Plain Node, CommonJS, needs dist/.
//
// One organization of 50 teams, each assessed twice (so more than 12 progress points). A dashboard
// is: the teams (a page of 50), each team's latest submitted assessment with its dimensions, and
// its last 12 progress points.
// - GraphQL: one POST /graphql (DASHBOARD below), driven by autocannon at N connections.
// - REST: GET .../teams?limit=50, then per team, in parallel: GET .../teams/{id}/assessments?
//   status=submitted&limit=1 then GET .../assessments/{id}, and GET .../teams/{id}/progress (the
//   client keeps the last 12): 151 requests. N concurrent clients share N keep-alive connections.
// Both report dashboards per second and the latency of a whole dashboard (p50, p99).
// Options (flags or environment): --duration=S (BENCH_DURATION, 10), --warmup=S (BENCH_WARMUP, 3),
// --connections=N (BENCH_CONNECTIONS, 50), --pool=N (BENCH_POOL_MAX, 10).
const http = require('node:http');
const path = require('node:path');
const { measure } = require('./lib/load');
const { describeMachine } = require('./lib/machine');
const { startApp, startDatabase } = require('./lib/servers');

const TEAMS = 50;
const DASHBOARD = `query Dashboard($id: ID!) { organization(id: $id) { teams(limit: 50) { items {
  id name
  latestAssessment { id result { score band dimensions { dimensionKey level score } } }
  progress(last: 12) { items { dimensionKey score recordedAt } } } } } }`;

function option(name, envName, fallback) {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = flag ? flag.split('=')[1] : process.env[envName];
  return value === undefined || value === '' ? fallback : Number(value);
}

/** A JSON client over `agent` (keep-alive, at most `connections` sockets). */
function client(baseUrl, agent, token) {
  const { hostname, port } = new URL(baseUrl);
  return (method, requestPath, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        {
          hostname,
          port,
          method,
          path: requestPath,
          agent,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode >= 300) {
              reject(new Error(`${method} ${requestPath} -> ${response.statusCode}: ${text}`));
            } else {
              resolve(text ? JSON.parse(text) : undefined);
            }
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}

async function seed(url) {
  const { builtinVersionId } = require(
    path.join(__dirname, '..', 'dist', 'libs', 'database', 'src', 'builtin-catalogue.js'),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const anonymous = client(url, agent);
  const suffix = Math.random().toString(36).slice(2, 10);
  const signup = await anonymous('POST', '/v1/auth/signup', {
    email: `bench-${suffix}@example.com`,
    password: 'benchmark password 123',
    name: 'Bench',
  });
  const call = client(url, agent, signup.accessToken);
  const organization = await call('POST', '/v1/organizations', {
    name: 'Bench',
    slug: `bench-${suffix}`,
  });
  const org = `/v1/organizations/${organization.id}`;
  const assess = async (teamId) => {
    const draft = await call('POST', `${org}/teams/${teamId}/assessments`, {
      modelVersionId: builtinVersionId('mlops-maturity', 1),
    });
    await call('PUT', `${org}/assessments/${draft.id}/answers`, {
      answers: [
        { criterionKey: 'version_control.code_in_git', status: 'met' },
        { criterionKey: 'version_control.pinned_dependencies', status: 'not_met' },
      ],
    });
    await call('POST', `${org}/assessments/${draft.id}/submit`);
  };
  for (let index = 0; index < TEAMS; index++) {
    const team = await call('POST', `${org}/teams`, { name: `Team ${index}`, slug: `t-${index}` });
    await assess(team.id);
    await assess(team.id);
  }
  agent.destroy();
  return { token: signup.accessToken, organizationId: organization.id };
}

/** One dashboard over REST, as a client would assemble it. */
async function restDashboard(call, org) {
  const teams = await call('GET', `${org}/teams?limit=${TEAMS}`);
  return Promise.all(
    teams.items.map(async (team) => {
      const [history, progress] = await Promise.all([
        call('GET', `${org}/teams/${team.id}/assessments?status=submitted&limit=1`),
        call('GET', `${org}/teams/${team.id}/progress`),
      ]);
      const latest = history.items[0]
        ? await call('GET', `${org}/assessments/${history.items[0].id}`)
        : null;
      return { team, latest, progress: progress.items.slice(-12) };
    }),
  );
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0;
}

async function measureRest(url, token, organizationId, settings) {
  const run = async (durationS) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: settings.connections });
    const call = client(url, agent, token);
    const org = `/v1/organizations/${organizationId}`;
    const latencies = [];
    let failed = 0;
    const end = Date.now() + durationS * 1000;
    await Promise.all(
      Array.from({ length: settings.connections }, async () => {
        while (Date.now() < end) {
          const started = process.hrtime.bigint();
          try {
            await restDashboard(call, org);
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          } catch {
            failed++;
          }
        }
      }),
    );
    agent.destroy();
    latencies.sort((a, b) => a - b);
    return {
      dashboardsPerSec: latencies.length / durationS,
      p50Ms: Math.round(percentile(latencies, 0.5)),
      p99Ms: Math.round(percentile(latencies, 0.99)),
      failed,
    };
  };
  if (settings.warmupS > 0) await run(settings.warmupS);
  return run(settings.durationS);
}

async function main() {
  const settings = {
    durationS: option('duration', 'BENCH_DURATION', 10),
    warmupS: option('warmup', 'BENCH_WARMUP', 3),
    connections: option('connections', 'BENCH_CONNECTIONS', 50),
    poolMax: option('pool', 'BENCH_POOL_MAX', 10),
  };
  const machine = describeMachine();
  console.log(
    `machine: ${machine.os}; ${machine.cpu} x${machine.cores}; node ${machine.node}; ` +
      `${settings.connections} connections, ${settings.durationS} s, pool ${settings.poolMax}`,
  );
  const database = await startDatabase();
  try {
    const app = await startApp(database, settings.poolMax);
    try {
      const { token, organizationId } = await seed(app.url);
      const graphql = await measure(
        app.url,
        {
          method: 'POST',
          path: '/graphql',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query: DASHBOARD, variables: { id: organizationId } }),
        },
        settings,
      );
      console.log(
        `GraphQL (1 request a dashboard): ${graphql.requestsPerSec.toFixed(1)} dashboards/s, ` +
          `p50 ${graphql.p50Ms} ms, p99 ${graphql.p99Ms} ms, failed ${graphql.failed}`,
      );
      const rest = await measureRest(app.url, token, organizationId, settings);
      console.log(
        `REST (${1 + TEAMS * 3} requests a dashboard): ${rest.dashboardsPerSec.toFixed(1)} dashboards/s, ` +
          `p50 ${rest.p50Ms} ms, p99 ${rest.p99Ms} ms, failed ${rest.failed}`,
      );
    } finally {
      await app.stop();
    }
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
