import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsDirectory } from '@app/common/project-root';
import { assertRestrictedApplicationRole, connectionUrlFor } from '@app/database/database-roles';
import { applyMigrations, MigrationError } from '@app/database/migrator';
import { PrismaService } from '@app/database/prisma.service';
import { OrganizationId, TenantTransactions } from '@app/database/tenant-transactions';
import { createTestDatabase, TestDatabase, withClient } from './support/test-database';

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A throwaway migrations folder in Prisma's layout. */
function migrationsFolder(files: Record<string, string>): {
  dir: string;
  write(name: string, sql: string): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-migrations-'));
  const write = (name: string, sql: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  };
  for (const [name, sql] of Object.entries(files)) write(name, sql);
  writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  return { dir, write };
}

const migrationRows = (url: string) =>
  withClient(url, async (client) => {
    const { rows } = await client.query<MigrationRow>(
      'SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name',
    );
    return rows;
  });

const tableExists = (url: string, table: string) =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ found: string | null }>(
      'SELECT to_regclass($1)::text AS found',
      [table],
    );
    return rows[0].found !== null;
  });

describe('migrator', () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });
  const folder = (files: Record<string, string>) => {
    const created = migrationsFolder(files);
    folders.push(created.dir);
    return created;
  };

  it('applies every migration once and records it exactly as prisma migrate deploy does', async () => {
    const database = await createTestDatabase({ migrated: false });
    const applied = await applyMigrations(database.migrationUrl, migrationsDirectory());
    const onDisk = readFileSync(join(migrationsDirectory(), applied[0], 'migration.sql'), 'utf8');
    expect(applied.length).toBeGreaterThan(0);
    expect(applied).toEqual([...applied].sort());

    // Prisma Migrate's table, column for column.
    const columns = await withClient(database.migrationUrl, async (client) => {
      const { rows } = await client.query(
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = '_prisma_migrations'
          ORDER BY ordinal_position`,
      );
      return rows;
    });
    expect(columns).toEqual([
      col('id', 'character varying', 36, 'NO'),
      col('checksum', 'character varying', 64, 'NO'),
      col('finished_at', 'timestamp with time zone', null, 'YES'),
      col('migration_name', 'character varying', 255, 'NO'),
      col('logs', 'text', null, 'YES'),
      col('rolled_back_at', 'timestamp with time zone', null, 'YES'),
      col('started_at', 'timestamp with time zone', null, 'NO', 'now()'),
      col('applied_steps_count', 'integer', null, 'NO', '0'),
    ]);

    const rows = await migrationRows(database.migrationUrl);
    expect(rows.map((row) => row.migration_name)).toEqual(applied);
    expect(rows[0].checksum).toBe(sha256(onDisk));
    for (const row of rows) {
      const file = readFileSync(join(migrationsDirectory(), row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    // A second run finds nothing to do and records nothing.
    expect(await applyMigrations(database.migrationUrl, migrationsDirectory())).toEqual([]);
    expect(await migrationRows(database.migrationUrl)).toEqual(rows);
  });

  it('applies each migration exactly once when two instances start at the same time', async () => {
    const database = await createTestDatabase({ migrated: false });
    // Not idempotent on purpose: a second application would fail on CREATE TABLE.
    const { dir } = folder({
      '20260101000000_first': 'SELECT pg_sleep(0.2);\nCREATE TABLE first_table (id int);',
      '20260102000000_second': 'CREATE TABLE second_table (id int);\nSELECT pg_sleep(0.1);',
    });
    const results = await Promise.all([
      applyMigrations(database.migrationUrl, dir),
      applyMigrations(database.migrationUrl, dir),
      applyMigrations(database.migrationUrl, dir),
    ]);
    expect(results.flat().sort()).toEqual(['20260101000000_first', '20260102000000_second']);
    expect(results.filter((result) => result.length > 0)).toHaveLength(1);
    const rows = await migrationRows(database.migrationUrl);
    expect(rows.map((row) => row.migration_name)).toEqual([
      '20260101000000_first',
      '20260102000000_second',
    ]);
  });

  it('refuses to run when an applied migration file was changed, naming the migration', async () => {
    const database = await createTestDatabase({ migrated: false });
    const { dir, write } = folder({
      '20260101000000_create_things': 'CREATE TABLE things (id int);',
    });
    await applyMigrations(database.migrationUrl, dir);
    write('20260101000000_create_things', 'CREATE TABLE things (id bigint);');
    write('20260102000000_later', 'CREATE TABLE later_things (id int);');
    const attempt = applyMigrations(database.migrationUrl, dir);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(
      /Migration 20260101000000_create_things was modified after it was applied/,
    );
    // Nothing after the changed migration ran either.
    expect(await tableExists(database.migrationUrl, 'later_things')).toBe(false);
  });

  it('refuses to run when an applied migration is missing from the folder', async () => {
    const database = await createTestDatabase({ migrated: false });
    const { dir } = folder({ '20260101000000_only': 'SELECT 1;' });
    await applyMigrations(database.migrationUrl, dir);
    rmSync(join(dir, '20260101000000_only'), { recursive: true });
    await expect(applyMigrations(database.migrationUrl, dir)).rejects.toThrow(
      /Migration 20260101000000_only is applied to the database but missing/,
    );
  });

  it('leaves nothing half-applied when a migration fails, and a fixed file applies later', async () => {
    const database = await createTestDatabase({ migrated: false });
    const { dir, write } = folder({
      '20260101000000_good': 'CREATE TABLE good_things (id int);',
      '20260102000000_broken':
        'CREATE TABLE half_things (id int);\nINSERT INTO half_things VALUES (1);\nSELECT 1 / 0;',
    });
    await expect(applyMigrations(database.migrationUrl, dir)).rejects.toThrow(
      /Migration 20260102000000_broken failed: division by zero/,
    );
    expect(await tableExists(database.migrationUrl, 'good_things')).toBe(true);
    expect(await tableExists(database.migrationUrl, 'half_things')).toBe(false);
    const afterFailure = await migrationRows(database.migrationUrl);
    expect(afterFailure.map((row) => [row.migration_name, row.finished_at !== null])).toEqual([
      ['20260101000000_good', true],
      ['20260102000000_broken', false],
    ]);
    // The failed attempt is kept for the record, rolled back, with the error in its logs.
    expect(afterFailure[1].rolled_back_at).toBeInstanceOf(Date);
    expect(afterFailure[1].logs).toMatch(/division by zero/);

    write('20260102000000_broken', 'CREATE TABLE half_things (id int);');
    expect(await applyMigrations(database.migrationUrl, dir)).toEqual(['20260102000000_broken']);
    expect(await tableExists(database.migrationUrl, 'half_things')).toBe(true);
    const live = (await migrationRows(database.migrationUrl)).filter(
      (row) => row.rolled_back_at === null,
    );
    expect(live.map((row) => row.migration_name)).toEqual([
      '20260101000000_good',
      '20260102000000_broken',
    ]);
    expect(live[1].checksum).toBe(sha256('CREATE TABLE half_things (id int);'));
  });
});

function col(
  column_name: string,
  data_type: string,
  character_maximum_length: number | null,
  is_nullable: 'YES' | 'NO',
  column_default: string | null = null,
) {
  return { column_name, data_type, character_maximum_length, is_nullable, column_default };
}

describe('tenant transactions', () => {
  let database: TestDatabase;
  let prisma: PrismaService;
  let transactions: TenantTransactions;
  const setting = `SELECT current_setting('app.organization_id', true) AS value`;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so the query after the transaction reuses the very connection it ran on.
    prisma = new PrismaService({ applicationUrl: database.applicationUrl, poolMax: 1 });
  });
  afterAll(async () => {
    await prisma.onModuleDestroy();
  });
  beforeEach(() => {
    transactions = new TenantTransactions(prisma);
  });

  const currentSetting = async (client: {
    $queryRawUnsafe: PrismaService['$queryRawUnsafe'];
  }): Promise<string | null> => {
    const rows = await client.$queryRawUnsafe<{ value: string | null }[]>(setting);
    return rows[0].value;
  };

  it('sets app.organization_id for the transaction only', async () => {
    const organizationId = '5b0c3f1e-7a52-4a35-9f0e-2f6a4c1d8e90' as OrganizationId;
    const seen = await transactions.run(organizationId, async (tx) => {
      const first = await currentSetting(tx);
      const second = await currentSetting(tx); // still set for every statement of the transaction
      return [first, second];
    });
    expect(seen).toEqual([organizationId, organizationId]);
    // After commit the same pooled connection no longer carries the tenant.
    expect(await currentSetting(prisma)).toBeFalsy();
    expect(prisma.pool.totalCount).toBe(1);
  });

  it('clears the setting when the work fails and the transaction rolls back', async () => {
    const organizationId = '0f7c3a55-1111-4c2e-8a9b-000000000001' as OrganizationId;
    await expect(
      transactions.run(organizationId, async (tx) => {
        expect(await currentSetting(tx)).toBe(organizationId);
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(await currentSetting(prisma)).toBeFalsy();
    expect(await transactions.runGlobal((tx) => currentSetting(tx))).toBeFalsy();
  });

  it("runs one user's cross-tenant work with app.user_id and no organization", async () => {
    const userId = '7d1e2f3a-0000-4000-8000-00000000abcd';
    const seen = await transactions.runForUser(userId, async (tx) => {
      const rows = await tx.$queryRawUnsafe<{ org: string | null; user: string | null }[]>(
        `SELECT current_setting('app.organization_id', true) AS org,
                current_setting('app.user_id', true) AS "user"`,
      );
      return rows[0];
    });
    expect(seen.user).toBe(userId);
    expect(seen.org).toBeFalsy();
    const after = await prisma.$queryRawUnsafe<{ user: string | null }[]>(
      `SELECT current_setting('app.user_id', true) AS "user"`,
    );
    expect(after[0].user).toBeFalsy();
  });

  it('runs as the application role even when the URL logs in as a superuser', async () => {
    const privileged = new PrismaService({ applicationUrl: database.adminUrl, poolMax: 1 });
    try {
      const rows = await privileged.$queryRawUnsafe<{ role: string }[]>(
        'SELECT current_user AS role',
      );
      expect(rows[0].role).toBe('mlops_app');
    } finally {
      await privileged.onModuleDestroy();
    }
  });
});

describe('assertRestrictedApplicationRole', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });

  it('accepts the application role', async () => {
    await expect(assertRestrictedApplicationRole(database.applicationUrl)).resolves.toBeUndefined();
  });

  it('refuses a superuser, naming the role', async () => {
    const superuser = decodeURIComponent(new URL(database.adminUrl).username);
    await expect(assertRestrictedApplicationRole(database.adminUrl)).rejects.toThrow(
      `DATABASE_URL connects as role "${superuser}", which is a superuser`,
    );
  });

  it('refuses the owner of the tables, naming the role', async () => {
    await expect(assertRestrictedApplicationRole(database.migrationUrl)).rejects.toThrow(
      /DATABASE_URL connects as role "mlops_owner", which owns the tables: row-level security would not apply/,
    );
  });

  it('refuses a BYPASSRLS role, naming the role', async () => {
    const role = `mlops_bypass_${randomBytes(4).toString('hex')}`;
    const password = 'bypass-test-password';
    await withClient(database.adminUrl, (client) =>
      client.query(`CREATE ROLE ${role} LOGIN BYPASSRLS PASSWORD '${password}'`),
    );
    try {
      const url = connectionUrlFor(database.adminUrl, role, password, database.name);
      await expect(assertRestrictedApplicationRole(url)).rejects.toThrow(
        `DATABASE_URL connects as role "${role}", which has BYPASSRLS`,
      );
    } finally {
      await withClient(database.adminUrl, (client) => client.query(`DROP ROLE ${role}`));
    }
  });
});
