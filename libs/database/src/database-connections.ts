import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  connectionUrlFor,
  OWNER_ROLE,
  provisionDatabaseAndRoles,
  RoleCredentials,
} from './database-roles';
import { EmbeddedServer, startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseConnections {
  /** Serves requests; every pooled connection switches to the application role. */
  applicationUrl: string;
  /** Runs migrations and owns the tables (and pg-boss's queue schema). */
  migrationUrl: string;
  /** Present when we started the embedded PostgreSQL ourselves. */
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATABASE_MIGRATION_URL?: string;
  EMBEDDED_POSTGRES_DIR: string;
}

const EMBEDDED_DATABASE_NAME = 'mlops';

function readOrCreateRoleCredentials(file: string): RoleCredentials {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as RoleCredentials;
  const credentials = {
    ownerPassword: randomBytes(24).toString('hex'),
    applicationPassword: randomBytes(24).toString('hex'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * With DATABASE_URL: that database (migrations through DATABASE_MIGRATION_URL when given).
 * Without it: the embedded PostgreSQL, its data kept in EMBEDDED_POSTGRES_DIR between runs, with
 * the owner and application roles set up on the first start.
 */
export async function openDatabaseConnections(
  settings: DatabaseSettings,
  log: (message: string) => void,
): Promise<DatabaseConnections> {
  if (settings.DATABASE_URL) {
    return {
      applicationUrl: settings.DATABASE_URL,
      migrationUrl: settings.DATABASE_MIGRATION_URL ?? settings.DATABASE_URL,
      close: async () => undefined,
    };
  }
  const dataDir = resolve(settings.EMBEDDED_POSTGRES_DIR);
  const embedded = await startEmbeddedPostgres({ dataDir, persistent: true });
  try {
    const credentials = readOrCreateRoleCredentials(`${dataDir}.roles.json`);
    await provisionDatabaseAndRoles(embedded.adminUrl, EMBEDDED_DATABASE_NAME, credentials);
    log(`embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${dataDir}`);
    return {
      applicationUrl: connectionUrlFor(
        embedded.adminUrl,
        'mlops_app',
        credentials.applicationPassword,
        EMBEDDED_DATABASE_NAME,
      ),
      migrationUrl: connectionUrlFor(
        embedded.adminUrl,
        OWNER_ROLE,
        credentials.ownerPassword,
        EMBEDDED_DATABASE_NAME,
      ),
      embedded,
      close: () => embedded.stop(),
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
