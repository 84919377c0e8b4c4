'use strict';
// Crash test (issue 9): `npm run bench:crash` (builds first) or `node bench/crash.js
// [--deliveries=N] [--teams=N] [--kills=N] [--kill-after-ms=MS] [--no-write]`.
//
// A throwaway database, our API (PROCESS_ROLE=api) and a worker (PROCESS_ROLE=worker), each a
// real process of the built service. Assessed teams with GitHub integrations are set up through
// the API; then signed workflow_job deliveries are posted with 20 requests in flight and, after
// `kill-after-ms` of that load, the API process is killed with SIGKILL. A new API process is
// started and every delivery that got no answer (in flight at the kill, or not sent yet) is
// posted to it, as GitHub redelivers: one the dead process had stored answers 200 duplicate.
// That `kills` times (default 3); the last API process gets the rest. The worker, running all
// along, drains. The check: every delivery that received a 202 is there under the id the 202
// named, processed, with exactly one evidence row (each payload proves one criterion), and no
// delivery has more; the delivery rows are exactly the deliveries sent, once each; every
// processing job completed. Exits 1 when any check fails; appends the result to BENCHMARKS.md.
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
const CONNECTIONS = 20;

function option(name, fallback) {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag ? Number(flag.split('=')[1]) : fallback;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every check of the crash test, as [description, passed, detail]. */
async function verify(client, list, answers) {
  const accepted = [...answers.values()].filter((answer) => answer.status === 202);
  const { rows: stored } = await client.query(
    `SELECT d.id, d.provider_delivery_id AS "providerDeliveryId", d.status::text AS status,
            (SELECT count(*)::int FROM evidence e WHERE e.delivery_id = d.id) AS evidence
       FROM webhook_deliveries d`,
  );
  const byProviderId = new Map(stored.map((row) => [row.providerDeliveryId, row]));
  const wrong = accepted.filter((answer) => {
    const row = byProviderId.get(answer.delivery.deliveryId);
    return (
      !row || row.id !== answer.body.deliveryId || row.status !== 'processed' || row.evidence !== 1
    );
  });
  const sentIds = new Set(list.map((delivery) => delivery.deliveryId));
  const strangers = stored.filter((row) => !sentIds.has(row.providerDeliveryId));
  const notOnce = stored.filter((row) => row.status !== 'processed' || row.evidence !== 1);
  const { rows: evidence } = await client.query(
    `SELECT count(*)::int AS rows, count(DISTINCT delivery_id)::int AS deliveries FROM evidence`,
  );
  const { rows: jobs } = await client.query(
    `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job
      WHERE name = 'integrations.process-delivery' GROUP BY 1`,
  );
  const jobStates = Object.fromEntries(jobs.map((row) => [row.state, row.n]));
  return {
    accepted: accepted.length,
    checks: [
      [
        'every delivery answered 202 is stored under the id the 202 named, processed, with exactly one evidence row',
        wrong.length === 0,
        `${wrong.length} of ${accepted.length} not`,
      ],
      [
        'every delivery sent is stored exactly once, and nothing else',
        stored.length === list.length &&
          byProviderId.size === stored.length &&
          strangers.length === 0,
        `${stored.length} rows for ${list.length} deliveries sent`,
      ],
      [
        'every stored delivery was processed once: one evidence row each, no duplicate evidence',
        notOnce.length === 0 &&
          evidence[0].rows === stored.length &&
          evidence[0].deliveries === stored.length,
        `${evidence[0].rows} evidence rows for ${evidence[0].deliveries} deliveries`,
      ],
      [
        'one processing job per delivery, all completed',
        (jobStates.completed ?? 0) === stored.length && Object.keys(jobStates).length === 1,
        JSON.stringify(jobStates),
      ],
    ],
  };
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'apps', 'worker', 'src', 'worker.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (or `npm run bench:crash`).');
  }
  const count = option('deliveries', 2000);
  const teamCount = option('teams', 20);
  const killAfterMs = option('kill-after-ms', 2000);
  const kills = option('kills', 3);
  const machine = describeMachine();
  const database = await startDatabase();
  let client;
  const processes = [];
  try {
    let api = await startApp(database, 10);
    processes.push(api);
    const owner = await ownerWithOrganization(api.url, 'crash');
    const integrations = await inParallel(
      Array.from({ length: teamCount }, (_, index) => index),
      8,
      async (index) => {
        const teamId = await assessedTeam(api.url, owner, `team-${index}`);
        return githubIntegration(api.url, owner, teamId, `GitHub ${index}`);
      },
    );
    client = await tenantClient(database, owner.organizationId);
    const worker = await startWorker(database, 10);
    processes.push(worker);
    const list = deliveries(integrations, count, 'crash');

    // Under load, the power cut, `kills` times; each time a new API process gets what got no
    // answer (in flight at the kill, or not sent yet), as GitHub redelivers.
    const answers = new Map();
    const rounds = [];
    for (let round = 0; round <= kills; round++) {
      const last = round === kills;
      let killed = false;
      const killing = last
        ? Promise.resolve()
        : sleep(killAfterMs).then(async () => {
            killed = true;
            await api.kill();
          });
      const todo = list.filter((delivery) => !answers.has(delivery.deliveryId));
      const results = await sendDeliveries(api.url, todo, CONNECTIONS, () => killed);
      await killing;
      for (const result of results) {
        if (result.status !== 0) answers.set(result.delivery.deliveryId, result);
      }
      const summary = {
        sent: todo.length,
        accepted: results.filter((result) => result.status === 202).length,
        duplicates: results.filter((result) => result.status === 200 && result.body.duplicate)
          .length,
        lost: results.filter((result) => result.status === 0).length,
      };
      rounds.push(summary);
      console.log(
        `${round === 0 ? 'first API' : `API #${round + 1}`}: of ${summary.sent} to send, ` +
          `${summary.accepted} answered 202, ${summary.duplicates} 200 duplicate (stored by a ` +
          `killed process before it died)` +
          (last ? '' : `; SIGKILL after ${killAfterMs} ms: ${summary.lost} requests lost with it`),
      );
      if (!last) {
        api = await startApp(database, 10);
        processes.push(api);
      }
    }
    const unanswered = list.filter(
      (delivery) => ![200, 202].includes(answers.get(delivery.deliveryId)?.status),
    );

    const drainStart = Date.now();
    while ((await pendingDeliveries(client)) > 0) {
      if (Date.now() - drainStart > 20 * 60_000)
        throw new Error('the worker did not drain in 20 min');
      await sleep(200);
    }
    // Give a duplicate run the time to happen, if one were going to.
    await sleep(2_000);
    console.log(`drained; statuses ${JSON.stringify(await deliveryStatusCounts(client))}`);
    const { accepted, checks } = await verify(client, list, answers);
    const passed = unanswered.length === 0 && checks.every(([, ok]) => ok);
    for (const [description, ok, detail] of checks) {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${description} (${detail})`);
    }
    console.log(passed ? 'crash test passed' : 'crash test FAILED');
    if (!process.argv.includes('--no-write')) {
      const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      appendSection(
        path.join(root, 'BENCHMARKS.md'),
        [
          `## ${date}: crash test (bench/crash.js): ${passed ? 'passed' : 'FAILED'}`,
          '',
          `- Machine: ${machine.os}; ${machine.cpu}, ${machine.cores} cores; ${machine.memoryGiB} GiB RAM; Node ${machine.node}`,
          `- Command: \`${['node bench/crash.js', ...process.argv.slice(2)].join(' ')}\`; ${database.description}`,
          `- ${count} signed GitHub deliveries for ${teamCount} assessed teams, ${CONNECTIONS} in flight; ` +
            `the API process killed with SIGKILL after ${killAfterMs} ms of load, ${kills} times, ` +
            `each time a new one getting what was unanswered: ` +
            rounds
              .map(
                (round, index) =>
                  `process ${index + 1}: ${round.accepted} answered 202, ${round.duplicates} 200 duplicate` +
                  (index < kills ? `, ${round.lost} lost with it` : ''),
              )
              .join('; ') +
            '; one worker drained.',
          `- ${accepted} deliveries answered 202 in all. Checks:`,
          ...checks.map(
            ([description, ok, detail]) =>
              `  - ${ok ? 'passed' : 'FAILED'}: ${description} (${detail})`,
          ),
          '',
        ].join('\n'),
      );
    }
    if (!passed) process.exitCode = 1;
  } finally {
    await client?.end();
    for (const child of processes.reverse()) await child.stop();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
