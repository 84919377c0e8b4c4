'use strict';
const fs = require('node:fs');

const HEADER = `# Benchmarks

Figures from \`npm run bench\` (bench/run.js). Every HTTP scenario runs against a raw \`node:http\`
server (bench/lib/baseline-server.js: no framework; for database scenarios it does the same
database work as ours with plain \`pg\`, in one round trip) and against our built service as
\`PROCESS_ROLE=api\`, in the same run, on the same database, with the same autocannon settings and
pool size, each server in its own process; the ratio is ours / baseline. Since 2026-11-30T04:13Z
each scenario is repeated 3 times (figures are medians); earlier sections measured once against a
hello-world baseline for every scenario. \`node bench/profile.js --only=<scenario>\` profiles our
service under load. The scoring figure comes from bench/scoring.bench.js. Newest runs at the bottom.
`;

const round = (value, digits = 0) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

function markdownSection({ date, machine, command, settings, http, other }) {
  const lines = [
    `## ${date}`,
    '',
    `- Machine: ${machine.os}; ${machine.cpu}, ${machine.cores} cores; ${machine.memoryGiB} GiB RAM`,
    `- Node ${machine.node}; command: \`${command}\``,
    `- HTTP: autocannon, ${settings.connections} connections, ${settings.warmupS} s warm-up then ` +
      `${settings.durationS} s measured per server and scenario` +
      (settings.repeats
        ? `, ${settings.repeats} repeats (baseline and ours back to back, alternating which goes first); figures are medians, ` +
          'the ratio is the median of the per-repeat ratios'
        : '') +
      `; ${settings.database ?? 'embedded PostgreSQL 18'}; ours as PROCESS_ROLE=api, ` +
      `LOG_LEVEL=silent` +
      (settings.poolMax
        ? `, DATABASE_POOL_MAX=${settings.poolMax} (the baseline's pg pool too)`
        : ''),
    '',
  ];
  if (http.length) {
    lines.push(
      '| Scenario | Ours req/s | Baseline req/s | Ratio | Ours p50 / p99 ms | Baseline p50 / p99 ms | Failed (ours) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const row of http) {
      lines.push(
        `| ${row.name} | ${round(row.ours.requestsPerSec)} | ${round(row.baseline.requestsPerSec)} | ` +
          `${row.ratio.toFixed(3)} | ${row.ours.p50Ms} / ${row.ours.p99Ms} | ` +
          `${row.baseline.p50Ms} / ${row.baseline.p99Ms} | ${row.ours.failed} |`,
      );
    }
    lines.push('');
    const described = http.filter((row) => row.baselineDoes);
    if (described.length) {
      lines.push('Baselines (bench/lib/baseline-server.js, same request):', '');
      for (const row of described) {
        const ratios = row.ratios
          ? ` Ratios per repeat: ${row.ratios.map((r) => r.toFixed(3)).join(', ')}.`
          : '';
        lines.push(`- ${row.name}: ${row.baselineDoes}.${ratios}`);
      }
      lines.push('');
    }
  }
  if (other.length) {
    lines.push(
      '| Benchmark | Ours ops/s | Baseline ops/s | Ratio |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const row of other) {
      lines.push(
        `| ${row.name} | ${round(row.opsPerSec)} | ${round(row.baselineOpsPerSec)} | ${row.ratio} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

function appendSection(file, section) {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  fs.writeFileSync(file, `${existing.trimEnd()}\n\n${section.trimEnd()}\n`);
}

module.exports = { markdownSection, appendSection };
