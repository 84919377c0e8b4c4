import 'reflect-metadata';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { loadConfig } from '@app/common';
import { JobQueue } from '@app/jobs';
import { PURGE_EXPIRED_JOB } from '../../api/src/modules/maintenance/maintenance.jobs';
import { createTestDatabase, TestDatabase } from '../../api/test/support/test-database';
import { WorkerModule } from '../src/worker.module';

describe('worker process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });

  it('loads the job features and no HTTP controller', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_POOL_MAX: '2' });
    const worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({
        config,
        connections: {
          applicationUrl: database.applicationUrl,
          migrationUrl: database.migrationUrl,
        },
      }),
      { logger: false },
    );
    try {
      const modules = [...worker.get(ModulesContainer).values()];
      expect(modules.flatMap((module) => [...module.controllers.keys()])).toEqual([]);
      expect(worker.get(JobQueue).health()).toMatchObject({ running: true, workers: true });
      await expect(worker.get(JobQueue).runNow(PURGE_EXPIRED_JOB)).resolves.toBeUndefined();
    } finally {
      await worker.close();
    }
  });
});
