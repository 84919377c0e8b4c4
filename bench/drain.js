'use strict';
// The worker's drain rate (issue 9's target: >= 500 deliveries/s): `npm run bench:drain` (builds
// first) or `node bench/drain.js [--deliveries=N] [--teams=N] [--pool=N] [--no-write]`.
//
// Starts a throwaway database and our API (PROCESS_ROLE=api); through the public API signs up an
// owner, creates `teams` teams (default 100) each with a submitted assessment on the built-in
// model and its own GitHub integration, and posts `deliveries` (default 10,000) signed
// workflow_job deliveries round robin over the integrations (job names and conclusions varying,
// so evidence and scores really change). Then stops the API and starts one worker process
// (PROCESS_ROLE=worker, as `npm run start:worker`), and times it from the moment it reports
// started until no delivery is left `received` or `failed` (`--cpu-prof=DIR`: the worker runs
// under `node --cpu-prof` and writes its profile there; see bench/profile.js to read one). Checks that every delivery ended
// processed with exactly one evidence row. Prints the figures and appends them to BENCHMARKS.md.
const fs = require('node:fs');
const path = require('node:path');
const { ownerWithOrganization } = require('./lib/api');
const {
  assessedTeam,
  deliveries,
  githubIntegration,
  inParallel,
  sendDeliveries,
} = require('./lib/ci');
const { describeMachine } = require('./lib/machine');
const { appendSection } = require('./lib/report');
const { startApp, startDatabase, startWorker } = require('./lib/servers');
const { deliveryStatusCounts, pendingDeliveries, tenantClient } = require('./lib/tenant-db');

const root = path.join(__dirname, '..');

function option(name, fallback) {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag ? Number(flag.split('=')[1]) : fallback;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'apps', 'worker', 'src', 'worker.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (or `npm run bench:drain`).');
  }
  const count = option('deliveries', 10_000);
  const teamCount = option('teams', 100);
  const poolMax = option('pool', 10);
  const machine = describeMachine();
  console.log(
    `machine: ${machine.os}; ${machine.cpu} x${machine.cores}; ${machine.memoryGiB} GiB; node ${machine.node}`,
  );
  const database = await startDatabase();
  let client;
  try {
    const app = await startApp(database, poolMax);
    let owner;
    try {
      owner = await ownerWithOrganization(app.url, 'drain');
      const started = Date.now();
      const integrations = await inParallel(
        Array.from({ length: teamCount }, (_, index) => index),
        8,
        async (index) => {
          const teamId = await assessedTeam(app.url, owner, `team-${index}`);
          return githubIntegration(app.url, owner, teamId, `GitHub ${index}`);
        },
      );
      console.log(`${teamCount} assessed teams with integrations in ${Date.now() - started} ms`);
      const sending = Date.now();
      const sent = await sendDeliveries(app.url, deliveries(integrations, count, 'drain'), 50);
      const accepted = sent.filter((result) => result.status === 202).length;
      if (accepted !== count) {
        const refused = sent.find((result) => result.status !== 202);
        throw new Error(
          `${count - accepted} deliveries not accepted, e.g. ${JSON.stringify(refused)}`,
        );
      }
      console.log(
        `${count} deliveries queued in ${Date.now() - sending} ms ` +
          `(${Math.round((count * 1000) / (Date.now() - sending))}/s through the API)`,
      );
    } finally {
      // The worker gets the machine to itself.
      await app.stop();
    }

    client = await tenantClient(database, owner.organizationId);
    const workerStarting = Date.now();
    const profileDir = process.argv.find((arg) => arg.startsWith('--cpu-prof='))?.split('=')[1];
    const worker = await startWorker(
      database,
      poolMax,
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    const startedAt = Date.now();
    let pending = count;
    let lastReport = startedAt;
    let drainedAt;
    try {
      while (pending > 0) {
        await sleep(100);
        pending = await pendingDeliveries(client);
        if (Date.now() - lastReport >= 5_000) {
          lastReport = Date.now();
          console.log(
            `  ${count - pending} processed after ${Math.round((lastReport - startedAt) / 1000)} s`,
          );
        }
        if (Date.now() - startedAt > 30 * 60_000)
          throw new Error(`${pending} still pending after 30 min`);
      }
    } finally {
      drainedAt = Date.now();
      await worker.stop();
    }
    const seconds = (drainedAt - startedAt) / 1000;
    const rate = count / seconds;
    const statuses = await deliveryStatusCounts(client);
    const { rows } = await client.query(
      `SELECT count(*)::int AS evidence, count(DISTINCT delivery_id)::int AS deliveries,
              count(DISTINCT team_id)::int AS teams FROM evidence`,
    );
    const snapshots = await client.query('SELECT count(*)::int AS n FROM team_scores');
    const ok =
      statuses.processed === count && rows[0].evidence === count && rows[0].deliveries === count;
    console.log(
      `drained ${count} deliveries across ${teamCount} teams in ${seconds.toFixed(1)} s: ` +
        `${Math.round(rate)} deliveries/s (worker start-up ${startedAt - workerStarting} ms not counted); ` +
        `statuses ${JSON.stringify(statuses)}; evidence rows ${rows[0].evidence} for ` +
        `${rows[0].deliveries} deliveries, ${rows[0].teams} teams, ${snapshots.rows[0].n} team scores` +
        (ok ? '' : ' -- NOT every delivery produced exactly one evidence row'),
    );
    if (!process.argv.includes('--no-write')) {
      const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      appendSection(
        path.join(root, 'BENCHMARKS.md'),
        [
          `## ${date}: worker drain (bench/drain.js)`,
          '',
          `- Machine: ${machine.os}; ${machine.cpu}, ${machine.cores} cores; ${machine.memoryGiB} GiB RAM`,
          `- Node ${machine.node}; command: \`${['node bench/drain.js', ...process.argv.slice(2)].join(' ')}\``,
          `- ${count} signed GitHub workflow_job deliveries queued through the API for ${teamCount} ` +
            `teams (each with a submitted assessment and its own integration); then one worker ` +
            `process alone (DATABASE_POOL_MAX=${poolMax}) on ${database.description}`,
          '',
          '| Deliveries | Teams | Drain time s | Deliveries/s | Statuses after | Evidence rows |',
          '| ---: | ---: | ---: | ---: | --- | ---: |',
          `| ${count} | ${teamCount} | ${seconds.toFixed(1)} | ${Math.round(rate)} | ` +
            `${Object.entries(statuses)
              .map(([status, n]) => `${status} ${n}`)
              .join(', ')} | ${rows[0].evidence} |`,
          '',
        ].join('\n'),
      );
      console.log('appended to BENCHMARKS.md');
    }
    if (!ok) process.exitCode = 1;
  } finally {
    await client?.end();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
