import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsString, IsUUID, MaxLength } from 'class-validator';
import { PgBoss } from 'pg-boss';
import { Logger } from '@nestjs/common';
import { loadConfig, Metrics, systemScope } from '@app/common';
import { sql, TenantTransactions } from '@app/database';
import {
  deadLetterQueueOf,
  InvalidJobPayloadError,
  Job,
  JobContext,
  JobHandler,
  JobQueue,
} from '@app/jobs';
import { CoreModule } from '../src/core.module';
import { AuditTrail } from '../src/modules/audit/audit-trail';
import { createTestDatabase, TestDatabase, withClient } from './support/test-database';

/** What the test jobs did, in this test process (both worker contexts run here). */
const runs: { job: string; id: string; payload: object; worker: string }[] = [];

class EchoPayload {
  @IsString()
  @MaxLength(100)
  message!: string;
}

class BatchedPayload {
  @IsString()
  @MaxLength(100)
  label!: string;
}

/** The labels each handleBatch call of test.batch-handled received. */
const handledBatches: string[][] = [];

/** In-flight runs of test.batched per worker, and the most seen at once. */
const inFlight = new Map<string, { now: number; most: number }>();

function testJobs(worker: string) {
  @Job({ name: 'test.echo', payload: EchoPayload })
  class EchoJob implements JobHandler<EchoPayload> {
    async handle(payload: EchoPayload, job: JobContext) {
      runs.push({ job: job.name, id: job.id, payload, worker });
    }
  }

  @Job({ name: 'test.always-fails', retryLimit: 1, retryDelaySeconds: 1 })
  class AlwaysFailsJob implements JobHandler {
    async handle(_payload: object, job: JobContext) {
      runs.push({ job: job.name, id: job.id, payload: {}, worker });
      throw new Error('this job always fails');
    }
  }

  @Job({ name: 'test.every-minute', cron: '* * * * *' })
  class EveryMinuteJob implements JobHandler {
    async handle(_payload: object, job: JobContext) {
      runs.push({ job: job.name, id: job.id, payload: {}, worker });
    }
  }

  class AuditedPayload {
    @IsUUID()
    organizationId!: string;
  }

  /** A system job changing tenant data: the audit trail names the job as the actor. */
  @Job({ name: 'test.audited', payload: AuditedPayload })
  class AuditedJob implements JobHandler<AuditedPayload> {
    constructor(
      private readonly transactions: TenantTransactions,
      private readonly audit: AuditTrail,
    ) {}

    async handle(payload: AuditedPayload, job: JobContext) {
      const scope = systemScope(payload.organizationId, job.name, { jobId: job.id });
      await this.transactions.run(scope, (tx) =>
        this.audit.record(tx, scope, {
          action: 'test.done',
          entityType: 'organization',
          entityId: payload.organizationId,
        }),
      );
      runs.push({ job: job.name, id: job.id, payload, worker });
    }
  }

  /** Slow jobs fetched two at a time by two loops per worker; `fail-*` ones throw. */
  @Job({
    name: 'test.batched',
    payload: BatchedPayload,
    retryLimit: 0,
    concurrency: 2,
    batchSize: 2,
  })
  class BatchedJob implements JobHandler<BatchedPayload> {
    async handle(payload: BatchedPayload, job: JobContext) {
      const counter = inFlight.get(worker) ?? { now: 0, most: 0 };
      inFlight.set(worker, counter);
      counter.now += 1;
      counter.most = Math.max(counter.most, counter.now);
      runs.push({ job: job.name, id: job.id, payload, worker });
      try {
        await sleep(700);
        if (payload.label.startsWith('fail')) throw new Error(`${payload.label} fails`);
      } finally {
        counter.now -= 1;
      }
    }
  }

  /** Handles its fetched batches at once; `fail-*` jobs fail alone. */
  @Job({ name: 'test.batch-handled', payload: BatchedPayload, retryLimit: 0, batchSize: 3 })
  class BatchHandledJob implements JobHandler<BatchedPayload> {
    async handle(payload: BatchedPayload, job: JobContext) {
      runs.push({ job: job.name, id: job.id, payload, worker });
    }

    async handleBatch(jobs: { payload: BatchedPayload; job: JobContext }[]) {
      handledBatches.push(jobs.map(({ payload }) => payload.label));
      return jobs.map(({ payload }) =>
        payload.label.startsWith('fail') ? new Error(`${payload.label} fails`) : undefined,
      );
    }
  }

  @Module({
    providers: [EchoJob, AlwaysFailsJob, EveryMinuteJob, AuditedJob, BatchedJob, BatchHandledJob],
  })
  class TestJobsModule {}
  return TestJobsModule;
}

async function startContext(
  database: TestDatabase,
  worker: string,
  runWorkers: boolean,
): Promise<INestApplicationContext> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JOB_POLLING_INTERVAL_SECONDS: '1',
    DATABASE_POOL_MAX: '3',
  });
  const root: DynamicModule = {
    module: class JobsTestRoot {},
    imports: [
      CoreModule.forRoot({
        config,
        connections: {
          applicationUrl: database.applicationUrl,
          migrationUrl: database.migrationUrl,
        },
        runWorkers,
      }),
      testJobs(worker),
    ],
  };
  const context = await NestFactory.createApplicationContext(root, { logger: false });
  await context.init();
  return context;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(200);
  }
}

describe('job system', () => {
  let database: TestDatabase;
  let producer: INestApplicationContext;
  beforeAll(async () => {
    database = await createTestDatabase();
    producer = await startContext(database, 'producer', false);
  });
  afterAll(async () => {
    await producer?.close();
  });

  const jobsInQueue = (name: string) =>
    withClient(database.adminUrl, async (client) => {
      const { rows } = await client.query<{ id: string; state: string; data: object }>(
        'SELECT id, state, data FROM pgboss.job WHERE name = $1 ORDER BY created_on',
        [name],
      );
      return rows;
    });
  const userExists = (email: string) =>
    withClient(database.adminUrl, async (client) => {
      const { rowCount } = await client.query('SELECT 1 FROM users WHERE email = $1', [email]);
      return rowCount === 1;
    });

  /** A change and its job in one transaction of the application role (RLS, no owner rights). */
  const signUpAndEnqueue = (email: string, afterEnqueue: () => void) =>
    producer.get(TenantTransactions).runGlobal(async (tx) => {
      await tx.user.create({ data: { email, name: 'Outbox', passwordHash: 'x' } });
      await producer.get(JobQueue).enqueue(tx, 'test.echo', { message: email });
      afterEnqueue();
    });

  it('outbox: a committed change always has its job, a rolled-back one never does', async () => {
    const committed = `committed-${randomUUID()}@example.com`;
    await signUpAndEnqueue(committed, () => undefined);
    expect(await userExists(committed)).toBe(true);
    expect((await jobsInQueue('test.echo')).map((job) => job.data)).toEqual([
      { message: committed },
    ]);

    const rolledBack = `rolled-back-${randomUUID()}@example.com`;
    await expect(
      signUpAndEnqueue(rolledBack, () => {
        throw new Error('the use case fails after enqueueing');
      }),
    ).rejects.toThrow('the use case fails after enqueueing');
    expect(await userExists(rolledBack)).toBe(false);
    expect((await jobsInQueue('test.echo')).map((job) => job.data)).toEqual([
      { message: committed },
    ]);
  });

  it('refuses to enqueue a payload its handler would reject, and the change rolls back', async () => {
    const email = `bad-payload-${randomUUID()}@example.com`;
    await expect(
      producer.get(TenantTransactions).runGlobal(async (tx) => {
        await tx.user.create({ data: { email, name: 'Outbox', passwordHash: 'x' } });
        await producer.get(JobQueue).enqueue(tx, 'test.echo', { message: 42, extra: true });
      }),
    ).rejects.toBeInstanceOf(InvalidJobPayloadError);
    expect(await userExists(email)).toBe(false);
  });

  it('outbox in one round trip: a job statement commits with its message, and rolls back with it', async () => {
    const transactions = producer.get(TenantTransactions);
    const queue = producer.get(JobQueue);
    const scope = systemScope(randomUUID(), 'test.outbox');
    const kept = await queue.enqueueStatement('test.echo', { message: "it's $1 kept" });
    await transactions.writeOnce(scope, [kept.statement]);
    const dropped = await queue.enqueueStatement('test.echo', { message: 'dropped' });
    await expect(
      transactions.writeOnce(scope, [dropped.statement, sql`SELECT 1 / 0`]),
    ).rejects.toThrow(/division by zero/);
    const echoes = await jobsInQueue('test.echo');
    expect(echoes.find((job) => job.id === kept.jobId)?.data).toEqual({ message: "it's $1 kept" });
    expect(echoes.some((job) => job.id === dropped.jobId)).toBe(false);
    // The workers of the next tests count echo runs: this one is not theirs.
    await withClient(database.adminUrl, (client) =>
      client.query('DELETE FROM pgboss.job WHERE id = $1', [kept.jobId]),
    );
    await expect(queue.enqueueStatement('test.echo', { message: 42 })).rejects.toBeInstanceOf(
      InvalidJobPayloadError,
    );
  });

  describe('with two worker processes', () => {
    let first: INestApplicationContext;
    let second: INestApplicationContext;
    beforeAll(async () => {
      first = await startContext(database, 'first', true);
      second = await startContext(database, 'second', true);
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    it('runs each enqueued job once, and counts it in the metrics', async () => {
      const echoes = () => runs.filter((run) => run.job === 'test.echo');
      const done = await eventually(echoes, (list) => list.length >= 1);
      await sleep(1_500);
      expect(echoes()).toHaveLength(1);
      expect(done[0]?.payload).toEqual({ message: expect.stringMatching(/^committed-/) });
      const metrics = await [first, second]
        .map((context) => context.get(Metrics).registry.getSingleMetricAsString('jobs_total'))
        .reduce(async (all, text) => (await all) + (await text), Promise.resolve(''));
      expect(metrics).toMatch(/jobs_total\{job="test.echo",outcome="completed"\} 1/);
    });

    it('retries a failing job, then moves it to its dead-letter queue, logging its id', async () => {
      const logged = jest.spyOn(Logger.prototype, 'error');
      const boss = new PgBoss({ connectionString: database.migrationUrl, schedule: false });
      await boss.start();
      const id = await boss.send('test.always-fails', {});
      await boss.stop({ graceful: false });
      const dead = await eventually(
        () => jobsInQueue(deadLetterQueueOf('test.always-fails')),
        (rows) => rows.length > 0,
      );
      expect(dead).toHaveLength(1);
      const attempts = runs.filter((run) => run.job === 'test.always-fails');
      expect(attempts.map((run) => run.id)).toEqual([id, id]);
      const [failed] = await jobsInQueue('test.always-fails');
      expect(failed?.state).toBe('failed');
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ jobId: id, job: 'test.always-fails' }),
        expect.stringContaining(`job test.always-fails ${id} failed`),
      );
      logged.mockRestore();
    });

    it('runs a queue with concurrency and batches: several jobs at once, each settled on its own', async () => {
      const labels = ['fail-first', 'ok-1', 'ok-2', 'ok-3', 'ok-4', 'ok-5', 'ok-6', 'ok-7'];
      const boss = new PgBoss({ connectionString: database.migrationUrl, schedule: false });
      await boss.start();
      // One insert: all eight are ready at once, so every fetch of two comes back full.
      await boss.insert(
        'test.batched',
        labels.map((label) => ({ data: { label } })),
      );
      await boss.stop({ graceful: false });
      const batched = () => runs.filter((run) => run.job === 'test.batched');
      await eventually(batched, (list) => list.length >= labels.length);
      const jobs = await eventually(
        () => jobsInQueue('test.batched'),
        (rows) => rows.every((row) => ['completed', 'failed'].includes(row.state)),
      );
      // Each job ran once; the failing one failed alone (no retries left), its batch neighbour
      // and all the others completed.
      expect(
        batched()
          .map((run) => (run.payload as BatchedPayload).label)
          .sort(),
      ).toEqual([...labels].sort());
      const stateOf = Object.fromEntries(
        jobs.map((row) => [(row.data as BatchedPayload).label, row.state]),
      );
      expect(stateOf).toEqual(
        Object.fromEntries(
          labels.map((label) => [label, label === 'fail-first' ? 'failed' : 'completed']),
        ),
      );
      // Never more than `concurrency` at once in one worker, and some worker ran two at once.
      const most = [...inFlight.values()].map((counter) => counter.most);
      expect(Math.max(...most)).toBe(2);
    });

    it('hands a fetched batch to handleBatch; each job settles on its own, a bad payload fails alone', async () => {
      const labels = ['ok-a', 'fail-b', 'ok-c', 'ok-d', 'ok-e', 'ok-f'];
      const boss = new PgBoss({ connectionString: database.migrationUrl, schedule: false });
      await boss.start();
      await boss.insert('test.batch-handled', [
        ...labels.map((label) => ({ data: { label } })),
        { data: { label: 42 } },
      ]);
      await boss.stop({ graceful: false });
      const jobs = await eventually(
        () => jobsInQueue('test.batch-handled'),
        (rows) =>
          rows.length === labels.length + 1 &&
          rows.every((row) => ['completed', 'failed'].includes(row.state)),
      );
      const stateOf = Object.fromEntries(
        jobs.map((row) => [String((row.data as { label: unknown }).label), row.state]),
      );
      expect(stateOf).toEqual({
        ...Object.fromEntries(
          labels.map((label) => [label, label.startsWith('fail') ? 'failed' : 'completed']),
        ),
        '42': 'failed',
      });
      // Batches of up to three reached handleBatch (a fetch of one goes to handle); every valid
      // job ran once, the invalid payload never reached the handler.
      expect(handledBatches.some((batch) => batch.length > 1)).toBe(true);
      const handledOnce = [
        ...handledBatches.flat(),
        ...runs
          .filter((run) => run.job === 'test.batch-handled')
          .map((run) => (run.payload as BatchedPayload).label),
      ];
      expect(handledOnce.sort()).toEqual([...labels].sort());
    });

    it('records a system job in the audit trail by its name', async () => {
      const organizationId = randomUUID();
      await withClient(database.adminUrl, (client) =>
        client.query(
          `INSERT INTO organizations (id, name, slug, updated_at) VALUES ($1, 'Jobs', $2, now())`,
          [organizationId, `jobs-${organizationId}`],
        ),
      );
      await first.get(JobQueue).runNow('test.audited', { organizationId });
      const events = await withClient(database.adminUrl, async (client) => {
        const { rows } = await client.query(
          'SELECT actor_type, actor_id, action FROM audit_events WHERE organization_id = $1',
          [organizationId],
        );
        return rows;
      });
      expect(events).toEqual([
        { actor_type: 'system', actor_id: 'test.audited', action: 'test.done' },
      ]);
    });

    it('runs a scheduled job once per occurrence, although both workers schedule it', async () => {
      const scheduled = () => runs.filter((run) => run.job === 'test.every-minute');
      await eventually(scheduled, (list) => list.length >= 1);
      // Both workers look for due occurrences every second: give each several chances to repeat it.
      await sleep(4_000);
      // pg-boss files each due occurrence under its time slot before sending it on: two
      // schedulers without coordination would file a slot twice, and send two jobs for it.
      const filed = await withClient(database.adminUrl, async (client) => {
        const { rows } = await client.query<{ slot: string; copies: string }>(
          `SELECT data->>'slot' AS slot, count(*) AS copies FROM pgboss.job
            WHERE data->>'name' = 'test.every-minute' AND data ? 'slot' GROUP BY 1`,
        );
        return rows;
      });
      expect(filed.length).toBeGreaterThanOrEqual(1);
      expect(filed.map((row) => Number(row.copies))).toEqual(filed.map(() => 1));
      const created = await jobsInQueue('test.every-minute');
      expect(created).toHaveLength(filed.length);
      expect(scheduled().map((run) => run.id)).toEqual(created.map((job) => job.id));
    });
  });
});
