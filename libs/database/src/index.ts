export * from './database-connections';
export * from './database-roles';
export * from './database.module';
export * from './embedded-postgres';
export * from './migrator';
export * from './prisma.service';
export * from './tenant-transactions';
export { Prisma } from './generated/prisma/client';
export * from './service-secrets';
