'use strict';
// Starts the servers under test as child processes and stops them again.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Forks `script`; resolves with { url, stop() } once the child reports its URL. */
function startChild(script, env = {}) {
  const child = fork(path.join(__dirname, script), [], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
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
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
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

function startBaseline() {
  return startChild('baseline-server.js');
}

/**
 * Our built app on a throwaway embedded PostgreSQL (a temp folder the `postgres` OS user can
 * enter when we run as root), or on BENCH_DATABASE_URL when set.
 */
async function startApp() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-'));
  fs.chmodSync(scratch, 0o755);
  const app = await startChild('app-server.js', { BENCH_DATA_DIR: path.join(scratch, 'pg') });
  return {
    url: app.url,
    stop: async () => {
      await app.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

module.exports = { startBaseline, startApp };
