import 'reflect-metadata';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { loadConfig } from '@app/common';
import { JobQueue } from '@app/jobs';
import { PURGE_EXPIRED_JOB } from '../../api/src/modules/maintenance/maintenance.jobs';
import { createTestDatabase, TestDatabase } from '../../api/test/support/test-database';
import { MetricsServer } from '../../api/src/modules/metrics/metrics-access';
import { WorkerModule } from '../src/worker.module';

describe('worker process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });

  it('loads the job features and no HTTP controller, and serves its job metrics on METRICS_PORT', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_POOL_MAX: '2',
      PROCESS_ROLE: 'worker',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      METRICS_TOKEN: 'worker-metrics-token-0123456789',
    });
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

      // Its job runs are scraped on METRICS_PORT, with the token.
      const metrics = `http://127.0.0.1:${worker.get(MetricsServer).port()}/metrics`;
      expect((await fetch(metrics)).status).toBe(401);
      const scraped = await fetch(metrics, {
        headers: { authorization: 'Bearer worker-metrics-token-0123456789' },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(
        /jobs_total\{job="maintenance.purge-expired",outcome="completed"\} 1/,
      );
    } finally {
      await worker.close();
    }
  });
});
