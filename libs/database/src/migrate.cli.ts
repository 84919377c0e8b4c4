import { loadConfig } from '@app/common/config/app-config';
import { migrationsDirectory } from '@app/common/project-root';
import { openDatabaseConnections } from './database-connections';
import { applyMigrations } from './migrator';

/** `npm run db:migrate`: applies pending migrations and exits. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const connections = await openDatabaseConnections(config, (line) => console.log(line));
  try {
    const applied = await applyMigrations(connections.migrationUrl, migrationsDirectory(), console);
    console.log(
      applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date',
    );
  } finally {
    await connections.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
