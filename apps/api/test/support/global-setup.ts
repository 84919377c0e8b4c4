import './register-aliases';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgBoss } from 'pg-boss';
import { migrationsDirectory } from '@app/common/project-root';
// Specific files, not the index: global setup runs outside Jest's module mapping (the aliases come
// from register-aliases), where Prisma's generated client cannot be loaded from TypeScript.
import {
  connectionUrlFor,
  OWNER_ROLE,
  provisionDatabaseAndRoles,
} from '@app/database/database-roles';
import { startEmbeddedPostgres } from '@app/database/embedded-postgres';
import { applyMigrations } from '@app/database/migrator';
import { loadBuiltinCatalogue } from '@app/database/builtin-catalogue';
import { TEST_ROLE_CREDENTIALS } from './test-database';

declare global {
  var __MLOPS_TEST_TEARDOWN__: (() => Promise<void>) | undefined;
}

/**
 * One PostgreSQL per test run: a throwaway embedded one, or the server named by
 * TEST_DATABASE_ADMIN_URL (a superuser URL; .ci/run uses the machine's PostgreSQL 15 this way).
 * Migrations are applied once to a template database; each test file copies it.
 */
export default async function globalSetup(): Promise<void> {
  const runId = randomBytes(3).toString('hex');
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  let stopServer: () => Promise<void> = async () => undefined;
  if (!adminUrl) {
    const scratch = mkdtempSync(join(tmpdir(), 'mlops-test-'));
    chmodSync(scratch, 0o755); // mkdtemp makes it 700; the postgres OS user must enter it
    const server = await startEmbeddedPostgres({
      dataDir: join(scratch, 'pg'),
      persistent: false,
    });
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }
  const template = `mlops_template_${runId}`;
  await provisionDatabaseAndRoles(adminUrl, template, TEST_ROLE_CREDENTIALS);
  const ownerUrl = connectionUrlFor(
    adminUrl,
    OWNER_ROLE,
    TEST_ROLE_CREDENTIALS.ownerPassword,
    template,
  );
  await applyMigrations(ownerUrl, migrationsDirectory());
  // The built-in maturity models, as `npm start` loads them after migrating.
  await loadBuiltinCatalogue(ownerUrl);
  // Install pg-boss's schema once, so every copied database starts its queue without migrating it.
  const boss = new PgBoss({ connectionString: ownerUrl, max: 1 });
  await boss.start();
  await boss.stop({ graceful: false });

  process.env.MLOPS_TEST_ADMIN_URL = adminUrl;
  process.env.MLOPS_TEST_TEMPLATE = template;
  process.env.MLOPS_TEST_RUN_ID = runId;
  globalThis.__MLOPS_TEST_TEARDOWN__ = async () => {
    if (process.env.TEST_DATABASE_ADMIN_URL) {
      const { Client } = await import('pg');
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`mlops_%${runId}%`],
      );
      for (const row of rows)
        await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      await admin.end();
    }
    await stopServer();
  };
}
