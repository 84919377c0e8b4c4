'use strict';
// Our worker exactly as `npm run start:worker` runs it (startWorker from the build output,
// PROCESS_ROLE=worker), logging silenced, on the database the benchmark prepared
// (BENCH_DATABASE_URL as the application role, BENCH_DATABASE_MIGRATION_URL as the owner) with a
// pool of BENCH_POOL_MAX. Run as a child process; reports `{ url: null }` once its queues run.
const path = require('node:path');

const dist = process.env.BENCH_APP_DIST ?? path.join(__dirname, '..', '..', 'dist');

async function main() {
  require('reflect-metadata');
  const { startWorker } = require(path.join(dist, 'apps/worker/src/worker.js'));
  const { loadConfig } = require(path.join(dist, 'libs/common/src/config/app-config.js'));
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    PROCESS_ROLE: 'worker',
    DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX,
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    DATABASE_MIGRATION_URL: process.env.BENCH_DATABASE_MIGRATION_URL,
  });
  const worker = await startWorker(config);
  process.on('message', (message) => {
    if (message === 'stop') {
      worker.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  process.send({ url: null });
}

main().catch((error) => {
  process.stderr.write(`bench worker failed to start: ${error.stack ?? error}\n`);
  process.exit(1);
});
