import { defineConfig } from 'prisma/config';

// Only the CLI reads this file (`prisma generate`, and `prisma migrate status` where the engine
// exists). At run time the application connects through libs/database with @prisma/adapter-pg.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? '' },
});
