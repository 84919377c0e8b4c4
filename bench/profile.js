'use strict';
// CPU profile of our service under load: `npm run build && node bench/profile.js [--only=teams]
// [--duration=S] [--connections=N] [--pool=N] [--top=N]`. Starts the database and our built app
// (PROCESS_ROLE=api) with `node --cpu-prof`, warms up, drives one scenario with autocannon, stops
// the app (which writes the profile) and prints the functions with the most self time, and the
// share of time by package (node_modules/<package>, our dist/, node: internals, GC, idle).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { measure } = require('./lib/load');
const { startApp, startDatabase } = require('./lib/servers');

function option(name, fallback) {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag ? flag.split('=')[1] : fallback;
}

/** Self time per node of a .cpuprofile (samples x their intervals). */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let index = 0; index < samples.length; index++) {
    self.set(samples[index], (self.get(samples[index]) ?? 0) + (timeDeltas[index] ?? 0));
  }
  return self;
}

function packageOf(url) {
  if (!url) return '(native/V8)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node: internals';
  if (url.includes('/dist/')) return 'ours (dist/)';
  return url;
}

function summarise(profile, top) {
  const self = selfTimes(profile);
  const total = [...self.values()].reduce((sum, value) => sum + value, 0);
  const byFunction = new Map();
  const byPackage = new Map();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (!time) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    const group = ['(idle)', '(garbage collector)', '(program)'].includes(functionName)
      ? functionName
      : packageOf(url);
    byPackage.set(group, (byPackage.get(group) ?? 0) + time);
  }
  const percent = (value) => `${((100 * value) / total).toFixed(1)}%`;
  const rows = (map, count) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => `| ${percent(time)} | ${name.trim()} |`);
  return [
    `Profile: ${(total / 1e6).toFixed(1)} s sampled`,
    '',
    '| self | package |',
    '| ---: | --- |',
    ...rows(byPackage, 15),
    '',
    '| self | function |',
    '| ---: | --- |',
    ...rows(byFunction, top),
  ].join('\n');
}

async function main() {
  // `--file=X.cpuprofile`: only summarise a profile written elsewhere (bench/drain.js --cpu-prof).
  const given = option('file', '');
  if (given) {
    console.log(summarise(JSON.parse(fs.readFileSync(given, 'utf8')), Number(option('top', 25))));
    return;
  }
  const only = option('only', 'teams');
  const settings = {
    durationS: Number(option('duration', 10)),
    warmupS: Number(option('warmup', 3)),
    connections: Number(option('connections', 50)),
  };
  const poolMax = Number(option('pool', 10));
  const scenario = fs
    .readdirSync(path.join(__dirname, 'scenarios'))
    .map((file) => require(path.join(__dirname, 'scenarios', file)))
    .find((candidate) => candidate.name.includes(only));
  if (!scenario) throw new Error(`No scenario matches ${only}`);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-profile-'));
  const database = await startDatabase();
  try {
    const app = await startApp(database, poolMax, ['--cpu-prof', `--cpu-prof-dir=${directory}`]);
    try {
      const extra = (await scenario.setup?.({ url: app.url })) ?? {};
      const result = await measure(app.url, { ...scenario.request, ...extra }, settings);
      console.log(
        `${scenario.name}: ${Math.round(result.requestsPerSec)} req/s under the profiler ` +
          `(p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, failed ${result.failed})`,
      );
    } finally {
      await app.stop();
    }
  } finally {
    await database.stop();
  }
  const file = fs.readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`No profile written in ${directory}`);
  const profile = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'));
  console.log(summarise(profile, Number(option('top', 25))));
  console.log(`\nfull profile: ${path.join(directory, file)} (open in Chrome DevTools)`);
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
