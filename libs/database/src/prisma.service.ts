import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { APPLICATION_ROLE } from './database-roles';
import { PrismaClient } from './generated/prisma/client';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export interface DatabaseOptions {
  applicationUrl: string;
  poolMax: number;
}

/**
 * Creates the application's connection pool. Every connection starts as the application role
 * (the `role` startup parameter), so requests run under row-level security even when DATABASE_URL
 * logs in as a more privileged role, which then only needs membership in the application role.
 */
export function createApplicationPool(options: DatabaseOptions): Pool {
  const pool = new Pool({
    connectionString: options.applicationUrl,
    max: options.poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    options: `-c role=${APPLICATION_ROLE}`,
  });
  // An idle client's error (database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  readonly pool: Pool;

  constructor(@Inject(DATABASE_OPTIONS) options: DatabaseOptions) {
    const pool = createApplicationPool(options);
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    if (!this.pool.ended) await this.pool.end();
  }
}
