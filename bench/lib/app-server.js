'use strict';
// Our service exactly as `npm start` runs it (startService from the build output) as an API-only
// process (PROCESS_ROLE=api: no job workers in it), logging silenced, on the database bench/run.js
// prepared (BENCH_DATABASE_URL as the application role, BENCH_DATABASE_MIGRATION_URL as the owner)
// with a pool of BENCH_POOL_MAX. Run as a child process of bench/run.js. BENCH_APP_DIST points at
// another build's dist/ (e.g. of an earlier commit, for a before/after in one run).
const path = require('node:path');

const dist = process.env.BENCH_APP_DIST ?? path.join(__dirname, '..', '..', 'dist');

async function main() {
  require('reflect-metadata');
  const { startService } = require(path.join(dist, 'apps/api/src/server.js'));
  const { loadConfig } = require(path.join(dist, 'libs/common/src/config/app-config.js'));
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PROCESS_ROLE: 'api',
    DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX,
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    DATABASE_MIGRATION_URL: process.env.BENCH_DATABASE_MIGRATION_URL,
  });
  const service = await startService(config);
  process.on('message', (message) => {
    if (message === 'stop') {
      service.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  process.send({ url: service.url.replace('localhost', '127.0.0.1') });
}

main().catch((error) => {
  process.stderr.write(`bench app failed to start: ${error.stack ?? error}\n`);
  process.exit(1);
});
