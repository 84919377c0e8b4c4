import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

/** Prisma Migrate's own advisory lock key, so our migrator and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationLogger {
  log(message: string): void;
}

export class MigrationError extends Error {}

/**
 * The migrations in Prisma's layout (`<dir>/<timestamp>_<name>/migration.sql`), oldest first.
 * The checksum is the sha256 hex of the file, as Prisma Migrate records it.
 */
/** The migration folder names, oldest first (their timestamps sort them). */
export async function listMigrationNames(migrationsDir: string): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  const names = await listMigrationNames(migrationsDir);
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations and records them in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does. We cannot use Prisma Migrate itself: its native schema engine
 * cannot be downloaded on our build machines (see README, "Migrations").
 *
 * Runs under Prisma's advisory lock, so two instances starting at once apply each migration once.
 * Refuses to run when an applied migration's file has changed or a previous attempt failed.
 */
export async function applyMigrations(
  connectionString: string,
  migrationsDir: string,
  logger: MigrationLogger = { log: () => undefined },
): Promise<string[]> {
  const files = await readMigrationFiles(migrationsDir);
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await ensureMigrationsTable(client);
      const applied = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
      }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
      );
      const live = applied.rows.filter((row) => row.rolled_back_at === null);
      const failed = live.find((row) => row.finished_at === null);
      if (failed) {
        throw new MigrationError(
          `Migration ${failed.migration_name} failed on an earlier run and was not rolled back; ` +
            `fix the database by hand, then mark it rolled back in _prisma_migrations.`,
        );
      }
      const appliedByName = new Map(live.map((row) => [row.migration_name, row.checksum]));
      for (const name of appliedByName.keys()) {
        if (!files.some((file) => file.name === name)) {
          throw new MigrationError(
            `Migration ${name} is applied to the database but missing from ${migrationsDir}.`,
          );
        }
      }
      const newlyApplied: string[] = [];
      for (const file of files) {
        const recorded = appliedByName.get(file.name);
        if (recorded !== undefined) {
          if (recorded !== file.checksum) {
            throw new MigrationError(
              `Migration ${file.name} was modified after it was applied (checksum ${recorded} in ` +
                `the database, ${file.checksum} on disk). Restore the file and add a new migration instead.`,
            );
          }
          continue;
        }
        await applyOne(client, file);
        logger.log(`applied migration ${file.name}`);
        newlyApplied.push(file.name);
      }
      return newlyApplied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function ensureMigrationsTable(client: Client): Promise<void> {
  // Prisma Migrate's table definition, column for column.
  await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
  )`);
}

async function applyOne(client: Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  try {
    // One transaction per migration: a failing file leaves nothing half-applied behind.
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at)
       VALUES ($1, $2, $3, now())`,
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query(
      'UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    const message = error instanceof Error ? error.message : String(error);
    // Kept as a rolled-back attempt with its error, so the next start retries the fixed file.
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, rolled_back_at)
       VALUES ($1, $2, $3, $4, now(), now())`,
      [id, file.checksum, file.name, message],
    );
    throw new MigrationError(`Migration ${file.name} failed: ${message}`);
  }
}
