'use strict';
// Benchmark harness: `npm run bench` (builds first). Plain Node, CommonJS, needs dist/.
//
// Starts a raw node:http baseline and our built service (embedded PostgreSQL in a temp folder),
// each in its own process, and runs every HTTP scenario in bench/scenarios/*.js against both with
// autocannon: the baseline always answers `/` with a tiny JSON. Then runs bench/scoring.bench.js
// (if present). Prints the figures and appends a section to BENCHMARKS.md.
//
// A scenario module exports { name, request: { method, path, headers?, body? },
// setup?(service) }: setup receives { url } of our running service before the measurement and may
// return request fields to merge (e.g. an Authorization header for a user it signed up).
//
// Options (flags or environment): --duration=S (BENCH_DURATION, 10), --warmup=S (BENCH_WARMUP, 3),
// --connections=N (BENCH_CONNECTIONS, 50), --only=substring, --no-write (do not touch BENCHMARKS.md).
const fs = require('node:fs');
const path = require('node:path');
const { measure } = require('./lib/load');
const { describeMachine } = require('./lib/machine');
const { appendSection, markdownSection } = require('./lib/report');
const { startApp, startBaseline } = require('./lib/servers');

const root = path.join(__dirname, '..');

function option(name, envName, fallback) {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = flag ? flag.split('=')[1] : process.env[envName];
  return value === undefined || value === '' ? fallback : value;
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
    const [baseline, app] = await Promise.all([startBaseline(), startApp()]);
    try {
      for (const scenario of scenarios) {
        const extra = (await scenario.setup?.({ url: app.url })) ?? {};
        const request = { ...scenario.request, ...extra };
        const base = await measure(baseline.url, { method: 'GET', path: '/' }, settings);
        const ours = await measure(app.url, request, settings);
        if (ours.failed > 0) {
          console.warn(
            `warning: ${scenario.name}: ${ours.failed} of ${ours.total} requests failed`,
          );
        }
        const row = {
          name: scenario.name,
          ours,
          baseline: base,
          ratio: ours.requestsPerSec / base.requestsPerSec,
        };
        http.push(row);
        console.log(
          `${row.name}: ours ${Math.round(ours.requestsPerSec)} req/s (p50 ${ours.p50Ms} ms, ` +
            `p99 ${ours.p99Ms} ms); baseline ${Math.round(base.requestsPerSec)} req/s ` +
            `(p50 ${base.p50Ms} ms, p99 ${base.p99Ms} ms); ratio ${row.ratio.toFixed(3)}`,
        );
      }
    } finally {
      await Promise.all([baseline.stop(), app.stop()]);
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
