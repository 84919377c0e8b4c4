import 'reflect-metadata';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, RunningService } from '@app/common';
import { startService } from '../src/server';
import { TEST_JWT_SECRET } from './support/test-app';
import { createTestDatabase, TestDatabase, withClient } from './support/test-database';

/**
 * `npm start` is `node dist/apps/api/src/main.js`, which is `startService(loadConfig(env))`. These
 * tests call startService the same way: configuration, database, migrations, HTTP, worker.
 */

/** Captures the plain start-up lines the service writes to stderr before its logger exists. */
function captureStderr(): { lines: () => string[]; restore: () => void } {
  const captured: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    captured.push(String(chunk));
    return true;
  });
  return {
    lines: () => captured.join('').split('\n').filter(Boolean),
    restore: () => spy.mockRestore(),
  };
}

const baseEnv = {
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  JWT_SECRET: TEST_JWT_SECRET,
  DATABASE_POOL_MAX: '3',
  SHUTDOWN_GRACE_MS: '2000',
};

const readiness = async (service: RunningService) => {
  const response = await fetch(`${service.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { status: string } };
};

/** Connections other sessions hold to one database (ours excluded). */
const otherConnections = (database: TestDatabase) =>
  withClient(database.adminUrl, async (client) => {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database.name],
    );
    return Number(rows[0].count);
  });

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('start-up against an external PostgreSQL (DATABASE_URL)', () => {
  let stderr: ReturnType<typeof captureStderr>;
  beforeEach(() => {
    stderr = captureStderr();
  });
  afterEach(() => stderr.restore());

  it('starts two instances at once on one unmigrated database; both become ready; stop() closes everything', async () => {
    const database = await createTestDatabase({ migrated: false });
    const config = loadConfig({
      ...baseEnv,
      DATABASE_URL: database.applicationUrl,
      DATABASE_MIGRATION_URL: database.migrationUrl,
    });
    const services = await Promise.all([startService(config), startService(config)]);
    try {
      expect(services[0].url).not.toEqual(services[1].url);
      for (const service of services) {
        const ready = await readiness(service);
        expect(ready).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
      }
      // Each migration was applied by exactly one of them.
      const rows = await withClient(database.migrationUrl, async (client) => {
        const result = await client.query<{ migration_name: string; count: string }>(
          `SELECT migration_name, count(*) FROM _prisma_migrations GROUP BY migration_name`,
        );
        return result.rows;
      });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.count === '1')).toBe(true);
      const applyLines = stderr.lines().filter((line) => line.startsWith('applied migration '));
      expect(applyLines).toHaveLength(rows.length);
      // The docs URL is printed.
      for (const service of services) {
        expect(stderr.lines()).toContain(
          `API listening on ${service.url} (worker running); docs at ${service.url}/docs`,
        );
      }
    } finally {
      await Promise.all(services.map((service) => service.stop()));
    }
    // Stopped: the port is closed and no connection to the database is left behind.
    await expect(fetch(`${services[0].url}/health/live`)).rejects.toThrow();
    expect(await eventually(async () => (await otherConnections(database)) === 0)).toBe(true);
  });

  it('refuses to start when DATABASE_URL connects as the owner of the tables', async () => {
    const database = await createTestDatabase();
    const config = loadConfig({
      ...baseEnv,
      DATABASE_URL: database.migrationUrl,
      DATABASE_MIGRATION_URL: database.migrationUrl,
    });
    await expect(startService(config)).rejects.toThrow(
      /DATABASE_URL connects as role "mlops_owner", which owns the tables/,
    );
    expect(await eventually(async () => (await otherConnections(database)) === 0)).toBe(true);
  });

  it('finishes a request that is in flight when stop() is called', async () => {
    const database = await createTestDatabase();
    const service = await startService(
      loadConfig({
        ...baseEnv,
        DATABASE_URL: database.applicationUrl,
        DATABASE_MIGRATION_URL: database.migrationUrl,
      }),
    );
    // Hold a lock the readiness query must wait for, so the request is provably in flight.
    const blocker = await withClient(database.migrationUrl, async (client) => {
      await client.query('BEGIN');
      await client.query('LOCK TABLE _prisma_migrations IN ACCESS EXCLUSIVE MODE');
      const inFlight = fetch(`${service.url}/health/ready`).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { status: string },
        at: Date.now(),
      }));
      const waiting = await eventually(async () => {
        const { rows } = await client.query<{ count: string }>(
          `SELECT count(*) FROM pg_locks
            WHERE relation = '_prisma_migrations'::regclass AND NOT granted`,
        );
        return rows[0].count === '1';
      });
      expect(waiting).toBe(true);
      let stoppedAt = 0;
      const stopping = service.stop().then(() => {
        stoppedAt = Date.now();
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stoppedAt).toBe(0); // stop() waits for the request
      await client.query('COMMIT');
      const response = await inFlight;
      await stopping;
      return { response, stoppedAt };
    });
    expect(blocker.response.status).toBe(200);
    expect(blocker.response.body.status).toBe('ok');
    expect(blocker.stoppedAt).toBeGreaterThanOrEqual(blocker.response.at);
    await expect(fetch(`${service.url}/health/live`)).rejects.toThrow();
  });
});

describe('start-up on the embedded PostgreSQL (no DATABASE_URL), as `npm start` runs', () => {
  let scratch: string;
  let stderr: ReturnType<typeof captureStderr>;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'mlops-start-'));
    chmodSync(scratch, 0o755); // the postgres OS user (when we run as root) must enter it
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  beforeEach(() => {
    stderr = captureStderr();
  });
  afterEach(() => stderr.restore());

  const start = () =>
    startService(loadConfig({ ...baseEnv, EMBEDDED_POSTGRES_DIR: join(scratch, 'postgres') }));

  /** The superuser URL of the running embedded server, from its start-up line and password file. */
  const embeddedAdminUrl = (lines: string[]) => {
    const line = lines.find((candidate) => candidate.startsWith('embedded PostgreSQL on '));
    const port = /127\.0\.0\.1:(\d+)/.exec(line ?? '')?.[1];
    expect(port).toBeDefined();
    const password = readFileSync(join(scratch, 'postgres.admin-password'), 'utf8').trim();
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/mlops`;
  };

  it('starts, answers ready, stops, and a second start reuses the data', async () => {
    const first = await start();
    let migrationIds: string[];
    try {
      expect(await readiness(first)).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'ok' }),
      });
      const adminUrl = embeddedAdminUrl(stderr.lines());
      migrationIds = await withClient(adminUrl, async (client) => {
        await client.query('CREATE SCHEMA restart_probe');
        await client.query(`CREATE TABLE restart_probe.marker (note text)`);
        await client.query(`INSERT INTO restart_probe.marker VALUES ('kept across restarts')`);
        const { rows } = await client.query<{ id: string }>(
          'SELECT id FROM _prisma_migrations ORDER BY id',
        );
        return rows.map((row) => row.id);
      });
      expect(stderr.lines().some((line) => line.startsWith('applied migration '))).toBe(true);
    } finally {
      await first.stop();
    }
    await expect(fetch(`${first.url}/health/live`)).rejects.toThrow();

    const linesBefore = stderr.lines().length;
    const second = await start();
    try {
      const secondLines = stderr.lines().slice(linesBefore);
      expect(await readiness(second)).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'ok' }),
      });
      // Nothing re-applied; the data written before the restart is still there.
      expect(secondLines.filter((line) => line.startsWith('applied migration '))).toEqual([]);
      const adminUrl = embeddedAdminUrl(secondLines);
      await withClient(adminUrl, async (client) => {
        const marker = await client.query('SELECT note FROM restart_probe.marker');
        expect(marker.rows).toEqual([{ note: 'kept across restarts' }]);
        const { rows } = await client.query<{ id: string }>(
          'SELECT id FROM _prisma_migrations ORDER BY id',
        );
        expect(rows.map((row) => row.id)).toEqual(migrationIds);
      });
    } finally {
      await second.stop();
    }
  });
});
