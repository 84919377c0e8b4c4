import type { AppConfig } from '@app/common';
import { migrationsDirectory } from '@app/common/project-root';
import { loadBuiltinCatalogue } from './builtin-catalogue';
import { assertRestrictedApplicationRole } from './database-roles';
import { DatabaseConnections, openDatabaseConnections } from './database-connections';
import { applyMigrations } from './migrator';

/**
 * What every process does before its Nest application exists: open the database (embedded unless
 * DATABASE_URL is set), apply pending migrations as the owner, load the built-in catalogue, and
 * refuse an application role that could bypass row-level security.
 */
export async function prepareDatabase(
  config: AppConfig,
  log: (line: string) => void,
): Promise<DatabaseConnections> {
  const connections = await openDatabaseConnections(config, log);
  try {
    await applyMigrations(connections.migrationUrl, migrationsDirectory(), { log });
    await loadBuiltinCatalogue(connections.migrationUrl, { log });
    await assertRestrictedApplicationRole(connections.applicationUrl);
    return connections;
  } catch (error) {
    await connections.close();
    throw error;
  }
}
