'use strict';
// Starts the database and the servers under test as child processes, and stops them again.
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const dist = path.join(__dirname, '..', '..', 'dist');

/**
 * Forks `script`; resolves with { url, pid, stop(), kill() } once the child reports its URL
 * (kill() is SIGKILL: the crash test's power cut).
 */
function startChild(script, env = {}, execArgv = []) {
  const child = fork(path.join(__dirname, script), [], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const onExit = (code) =>
      reject(new Error(`${script} exited with ${code} before it was ready:\n${stderr}`));
    child.once('exit', onExit);
    child.once('message', ({ url }) => {
      child.off('exit', onExit);
      resolve({
        url,
        pid: child.pid,
        kill: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.send('stop');
          }),
      });
    });
  });
}

/**
 * The database both servers use: BENCH_DATABASE_URL (logging in as, or as a member of, the
 * application role mlops_app) and BENCH_DATABASE_MIGRATION_URL (the owner, for migrations) when
 * set; otherwise a throwaway embedded PostgreSQL (a temp folder the `postgres` OS user can enter
 * when we run as root) with both roles provisioned as `npm start` does.
 */
async function startDatabase() {
  if (process.env.BENCH_DATABASE_URL) {
    return {
      applicationUrl: process.env.BENCH_DATABASE_URL,
      migrationUrl: process.env.BENCH_DATABASE_MIGRATION_URL ?? process.env.BENCH_DATABASE_URL,
      description: 'PostgreSQL at BENCH_DATABASE_URL',
      stop: async () => undefined,
    };
  }
  const { openDatabaseConnections } = require(
    path.join(dist, 'libs/database/src/database-connections.js'),
  );
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-'));
  fs.chmodSync(scratch, 0o755);
  const connections = await openDatabaseConnections(
    { EMBEDDED_POSTGRES_DIR: path.join(scratch, 'pg') },
    () => undefined,
  );
  return {
    applicationUrl: connections.applicationUrl,
    migrationUrl: connections.migrationUrl,
    description: 'embedded PostgreSQL 18',
    stop: async () => {
      await connections.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The same signing key, issuer and audience for both servers, so the baseline verifies our
 * tokens; the same secrets key, so it opens the webhook secrets ours sealed.
 */
const sharedSettings = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  JWT_ISSUER: 'mlops-maturity',
  JWT_AUDIENCE: 'mlops-maturity-api',
  SECRETS_KEY: randomBytes(32).toString('hex'),
};

function startBaseline(database, poolMax) {
  return startChild('baseline-server.js', {
    ...sharedSettings,
    BASELINE_DATABASE_URL: database.applicationUrl,
    BASELINE_POOL_MAX: String(poolMax),
  });
}

/**
 * Our built app as an API-only process on `database` with a pool of `poolMax`; `execArgv` are
 * Node flags for it (bench/profile.js passes --cpu-prof).
 */
function startApp(database, poolMax, execArgv = []) {
  return startChild(
    'app-server.js',
    {
      ...sharedSettings,
      BENCH_DATABASE_URL: database.applicationUrl,
      BENCH_DATABASE_MIGRATION_URL: database.migrationUrl,
      BENCH_POOL_MAX: String(poolMax),
    },
    execArgv,
  );
}

/** Our built worker (PROCESS_ROLE=worker) on `database` with a pool of `poolMax`. */
function startWorker(database, poolMax, execArgv = []) {
  return startChild(
    'worker-server.js',
    {
      ...sharedSettings,
      BENCH_DATABASE_URL: database.applicationUrl,
      BENCH_DATABASE_MIGRATION_URL: database.migrationUrl,
      BENCH_POOL_MAX: String(poolMax),
    },
    execArgv,
  );
}

module.exports = { startDatabase, startBaseline, startApp, startWorker };
