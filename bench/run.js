'use strict';
// Benchmark harness: `npm run bench` (builds first). Plain Node, CommonJS, needs dist/.
//
// Starts one database (a throwaway embedded PostgreSQL, or BENCH_DATABASE_URL), the raw baseline
// (bench/lib/baseline-server.js: node:http + pg, same paths as ours, the same RLS-correct work in
// one round trip) and our built service as PROCESS_ROLE=api, each server in its own process with
// the same pool size, and runs every HTTP scenario in bench/scenarios/*.js against both with
// autocannon, `repeats` times, baseline and ours back to back (which goes first alternates); each figure is the median of the
// repeats and the ratio is the median of the per-repeat ratios (ours / baseline measured back to
// back), which is what stays meaningful on a noisy shared machine. Then runs
// bench/scoring.bench.js (if present). Prints the figures and appends a section to BENCHMARKS.md.
//
// A scenario module exports { name, baseline, request: { method, path, headers?, body? },
// setup?(service) }: setup receives { url } of our running service before the measurement and may
// return request fields to merge (e.g. an Authorization header for a user it signed up). The same
// request goes to the baseline; `baseline` says in words what the baseline does for it.
//
// Options (flags or environment): --duration=S (BENCH_DURATION, 10), --warmup=S (BENCH_WARMUP, 3),
// --connections=N (BENCH_CONNECTIONS, 50), --repeats=N (BENCH_REPEATS, 3), --pool=N
// (BENCH_POOL_MAX, 10: DATABASE_POOL_MAX of ours and the baseline's pool), --only=substring,
// --no-write (do not touch BENCHMARKS.md).
const fs = require('node:fs');
const path = require('node:path');
const { measure } = require('./lib/load');
const { describeMachine } = require('./lib/machine');
const { appendSection, markdownSection } = require('./lib/report');
const { startApp, startBaseline, startDatabase } = require('./lib/servers');

const root = path.join(__dirname, '..');

function option(name, envName, fallback) {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = flag ? flag.split('=')[1] : process.env[envName];
  return value === undefined || value === '' ? fallback : value;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of every figure of several measurements, figure by figure. */
function medianOf(results) {
  const keys = ['requestsPerSec', 'p50Ms', 'p99Ms', 'total', 'failed'];
  return Object.fromEntries(keys.map((key) => [key, median(results.map((result) => result[key]))]));
}

function loadScenarios(only) {
  const dir = path.join(__dirname, 'scenarios');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .sort()
    .map((file) => require(path.join(dir, file)))
    .filter((scenario) => !only || scenario.name.includes(only));
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'apps', 'api', 'src', 'server.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (or `npm run bench`, which builds).');
  }
  const settings = {
    durationS: Number(option('duration', 'BENCH_DURATION', 10)),
    warmupS: Number(option('warmup', 'BENCH_WARMUP', 3)),
    connections: Number(option('connections', 'BENCH_CONNECTIONS', 50)),
    repeats: Number(option('repeats', 'BENCH_REPEATS', 3)),
    poolMax: Number(option('pool', 'BENCH_POOL_MAX', 10)),
  };
  const only = option('only', 'BENCH_ONLY', '');
  const write = !process.argv.includes('--no-write');
  const machine = describeMachine();
  console.log(
    `machine: ${machine.os}; ${machine.cpu} x${machine.cores}; ${machine.memoryGiB} GiB; node ${machine.node}`,
  );

  const http = [];
  const scenarios = loadScenarios(only);
  if (scenarios.length) {
    const database = await startDatabase();
    settings.database = database.description;
    try {
      const [baseline, app] = await Promise.all([
        startBaseline(database, settings.poolMax),
        startApp(database, settings.poolMax),
      ]);
      try {
        for (const scenario of scenarios) {
          const extra = (await scenario.setup?.({ url: app.url })) ?? {};
          const request = { ...scenario.request, ...extra };
          const runs = [];
          for (let repeat = 0; repeat < settings.repeats; repeat++) {
            // Alternating which server goes first keeps a drift in the machine's load (other
            // processes, warm-up) from always favouring the same side.
            let base;
            let ours;
            if (repeat % 2 === 0) {
              base = await measure(baseline.url, request, settings);
              ours = await measure(app.url, request, settings);
            } else {
              ours = await measure(app.url, request, settings);
              base = await measure(baseline.url, request, settings);
            }
            runs.push({ base, ours, ratio: ours.requestsPerSec / base.requestsPerSec });
            console.log(
              `${scenario.name} #${repeat + 1}: ours ${Math.round(ours.requestsPerSec)} req/s ` +
                `(p50 ${ours.p50Ms} ms, p99 ${ours.p99Ms} ms, failed ${ours.failed}); baseline ` +
                `${Math.round(base.requestsPerSec)} req/s (p50 ${base.p50Ms} ms, p99 ${base.p99Ms} ms, ` +
                `failed ${base.failed}); ratio ${(ours.requestsPerSec / base.requestsPerSec).toFixed(3)}`,
            );
          }
          const row = {
            name: scenario.name,
            baselineDoes: scenario.baseline,
            ours: medianOf(runs.map((run) => run.ours)),
            baseline: medianOf(runs.map((run) => run.base)),
            ratio: median(runs.map((run) => run.ratio)),
            ratios: runs.map((run) => run.ratio),
          };
          if (row.ours.failed > 0 || row.baseline.failed > 0) {
            console.warn(
              `warning: ${scenario.name}: failed requests (ours ${row.ours.failed}, baseline ${row.baseline.failed})`,
            );
          }
          http.push(row);
          console.log(
            `${row.name}: median ratio ${row.ratio.toFixed(3)} (${row.ratios.map((r) => r.toFixed(3)).join(', ')})`,
          );
        }
      } finally {
        await Promise.all([baseline.stop(), app.stop()]);
      }
    } finally {
      await database.stop();
    }
  }

  const other = [];
  const scoringBench = path.join(__dirname, 'scoring.bench.js');
  if (fs.existsSync(scoringBench) && (!only || 'scoring'.includes(only))) {
    const { run } = require(scoringBench);
    if (typeof run === 'function') {
      const result = await run();
      other.push(result);
      console.log(
        `${result.name}: ${result.opsPerSec} ops/s; baseline ${result.baselineOpsPerSec} ops/s; ratio ${result.ratio}`,
      );
    }
  }

  if (write) {
    const section = markdownSection({
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      machine,
      command: ['npm run bench', ...process.argv.slice(2)].join(' ').replace(' --', ' -- --'),
      settings,
      http,
      other,
    });
    appendSection(path.join(root, 'BENCHMARKS.md'), section);
    console.log('appended to BENCHMARKS.md');
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
