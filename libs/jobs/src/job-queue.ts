import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { escapeLiteral } from 'pg';
import { fromPrisma, type Job as BossJob, type JobResult, PgBoss } from 'pg-boss';
import { Metrics } from '@app/common';
import { APPLICATION_ROLE, SqlFragment, TransactionClient } from '@app/database';
import { deadLetterQueueOf, JOB_HANDLER, JobContext, JobHandler, JobOptions } from './job-handler';
import { checkedPayload } from './job-payload';

export const JOB_QUEUE_OPTIONS = Symbol('JOB_QUEUE_OPTIONS');

export interface JobQueueOptions {
  /** The owner connection: pg-boss creates and migrates its own `pgboss` schema. */
  connectionString: string;
  /** False in an API-only process: it may enqueue jobs but does not run them. */
  runWorkers: boolean;
  shutdownGraceMs: number;
  /** How often workers poll and the scheduler looks for due cron occurrences (tests shorten it). */
  pollingIntervalSeconds?: number;
}

interface RegisteredJob {
  options: JobOptions;
  handler: JobHandler;
}

/**
 * A parameterised statement with its `$n` parameters replaced by escaped string literals. Only
 * for the statements pg-boss builds, whose only `$` characters are its parameters (checked: every
 * value must be used, and only those).
 */
function withLiterals(text: string, values: unknown[]): SqlFragment {
  const used = new Set<number>();
  const inlined = text.replace(/\$(\d+)/g, (_match, position: string) => {
    const index = Number(position) - 1;
    const value = values[index];
    if (typeof value !== 'string') throw new Error(`parameter $${position} is not a string`);
    used.add(index);
    return escapeLiteral(value);
  });
  if (used.size !== values.length || text.replace(/\$\d+/g, '').includes('$')) {
    throw new Error('a job statement whose parameters cannot be written in');
  }
  return new SqlFragment(inlined);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

const DEFAULT_RETRY_LIMIT = 3;
const DEFAULT_RETRY_DELAY_SECONDS = 10;

/**
 * The Postgres-backed job system (pg-boss). Feature modules declare handlers with `@Job`; at
 * start-up every handler is discovered and its queue created with its retry policy and a
 * dead-letter queue; worker processes then run them. Use cases enqueue through `enqueue(tx, ...)`
 * inside their own transaction (the outbox): the job row commits or rolls back with the change
 * that needs it.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobQueue');
  private readonly boss: PgBoss;
  private readonly jobs = new Map<string, RegisteredJob>();
  private running = false;
  private healthy = true;

  constructor(
    @Inject(JOB_QUEUE_OPTIONS) private readonly options: JobQueueOptions,
    private readonly discovery: DiscoveryService,
    private readonly metrics: Metrics,
  ) {
    const interval = options.pollingIntervalSeconds;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: 3,
      application_name: 'mlops-jobs',
      ...(interval
        ? { cronMonitorIntervalSeconds: interval, cronWorkerIntervalSeconds: interval }
        : {}),
    });
    this.boss.on('error', (error: Error) => {
      this.healthy = false;
      this.logger.error({ err: error }, 'job queue error');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discoverHandlers();
    await this.boss.start();
    for (const { options } of this.jobs.values()) await this.createQueue(options);
    if (this.options.runWorkers) {
      for (const job of this.jobs.values()) await this.startWorking(job);
    }
    this.running = true;
    this.logger.log(
      `job queue started (${this.options.runWorkers ? 'running' : 'enqueue only'}: ` +
        `${[...this.jobs.keys()].join(', ') || 'no jobs'})`,
    );
  }

  /**
   * The transactional outbox: the job is inserted through the caller's transaction, so it exists
   * exactly when the change that needs it committed. The payload is checked here too, so a bad
   * one fails the use case instead of a worker, later.
   */
  async enqueue(
    tx: TransactionClient,
    name: string,
    payload: object = {},
    timing: { startAfter?: Date } = {},
  ): Promise<string> {
    const { options } = this.registered(name);
    checkedPayload(options, payload);
    const id = await this.boss.send(name, payload, {
      db: fromPrisma(tx),
      ...(timing.startAfter ? { startAfter: timing.startAfter } : {}),
    });
    if (!id) throw new Error(`job ${name} was not enqueued`);
    return id;
  }

  /**
   * The same outbox insert as enqueue(), as SQL text for a caller that sends it in one message
   * with its own statements (TenantTransactions.writeOnce): the job then commits or rolls back
   * with them, in one round trip instead of one per statement. pg-boss still builds the statement
   * (its columns, the queue's policy): send() runs against a db that records the statement
   * instead of running it, and its parameters are written in as escaped literals (the simple
   * protocol takes none). Resolves with the job's id, given in advance, and the statement.
   */
  async enqueueStatement(
    name: string,
    payload: object = {},
  ): Promise<{ jobId: string; statement: SqlFragment }> {
    const { options } = this.registered(name);
    checkedPayload(options, payload);
    const jobId = randomUUID();
    const recorded: { text: string; values: unknown[] }[] = [];
    const recorder = {
      executeSql: (text: string, values: unknown[] = []) => {
        recorded.push({ text, values });
        return Promise.resolve({ rows: [{ id: jobId, start_after: new Date() }] });
      },
    };
    const sent = await this.boss.send(name, payload, { db: recorder, id: jobId });
    if (sent !== jobId || recorded.length !== 1) {
      throw new Error(`job ${name}: pg-boss did not build one insert statement`);
    }
    return { jobId, statement: withLiterals(recorded[0].text, recorded[0].values) };
  }

  /** Runs a job now, in this process, as a worker would (tests and manual re-runs). */
  async runNow(name: string, payload: object = {}): Promise<void> {
    await this.execute(this.registered(name), payload, { id: 'manual', name, retryCount: 0 });
  }

  health(): { running: boolean; workers: boolean; healthy: boolean } {
    return { running: this.running, workers: this.options.runWorkers, healthy: this.healthy };
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.boss.stop({ graceful: true, timeout: this.options.shutdownGraceMs });
  }

  private discoverHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const options = wrapper.metatype
        ? (Reflect.getMetadata(JOB_HANDLER, wrapper.metatype) as JobOptions | undefined)
        : undefined;
      if (!options || !wrapper.instance) continue;
      if (this.jobs.has(options.name)) throw new Error(`two handlers for job ${options.name}`);
      this.jobs.set(options.name, { options, handler: wrapper.instance as JobHandler });
    }
  }

  private async createQueue(options: JobOptions): Promise<void> {
    const deadLetter = deadLetterQueueOf(options.name);
    await this.boss.createQueue(deadLetter);
    await this.boss.createQueue(options.name, {
      retryLimit: options.retryLimit ?? DEFAULT_RETRY_LIMIT,
      retryDelay: options.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      deadLetter,
    });
    await this.allowApplicationRoleToEnqueue(options.name);
  }

  /**
   * The outbox inserts jobs as the application role, inside its transactions; pg-boss's tables
   * belong to the owner. The role may read the queue definitions and insert into this queue's job
   * table (reading back only the new job's id and start time, which the insert returns), nothing
   * more: it cannot see other jobs' data, claim, complete or delete jobs.
   */
  private async allowApplicationRoleToEnqueue(name: string): Promise<void> {
    const db = this.boss.getDb();
    const { rows } = await db.executeSql('SELECT table_name FROM pgboss.queue WHERE name = $1', [
      name,
    ]);
    const table = (rows[0] as { table_name: string } | undefined)?.table_name;
    if (!table || !/^[a-z0-9_]+$/.test(table)) throw new Error(`no job table for queue ${name}`);
    // One transaction under an advisory lock: processes starting together would otherwise update
    // the same catalog rows at once ("tuple concurrently updated").
    await db.executeSql(
      `BEGIN;
       SELECT pg_advisory_xact_lock(hashtext('mlops:jobs:grants'));
       GRANT USAGE ON SCHEMA pgboss TO ${APPLICATION_ROLE};
       GRANT SELECT ON pgboss.queue TO ${APPLICATION_ROLE};
       GRANT INSERT, SELECT (id, start_after) ON pgboss.${table} TO ${APPLICATION_ROLE};
       COMMIT;`,
    );
  }

  private async startWorking(job: RegisteredJob): Promise<void> {
    const { name, cron } = job.options;
    if (cron) await this.boss.schedule(name, cron, {}, { tz: 'UTC' });
    const batchSize = job.options.batchSize ?? 1;
    await this.boss.work<object>(
      name,
      {
        pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
        localConcurrency: job.options.concurrency ?? 1,
        batchSize,
        burstWhenBatchFull: batchSize > 1,
        // Each job of a batch settles on its own: one failure must not fail its neighbours.
        perJobResults: true,
      },
      async (batch) => {
        if (job.handler.handleBatch && batch.length > 1) return this.settleBatch(job, batch);
        const results: JobResult[] = [];
        for (const received of batch) results.push(await this.settle(job, received));
        return results;
      },
    );
  }

  /**
   * Runs a fetched batch through the handler's handleBatch; each job still settles on its own
   * (a payload that fails its check fails that job only, before the handler sees the others).
   */
  private async settleBatch(job: RegisteredJob, batch: BossJob<object>[]): Promise<JobResult[]> {
    const name = job.options.name;
    const contextOf = (received: BossJob<object>): JobContext => ({
      id: received.id,
      name,
      retryCount: received.retryCount,
    });
    const outcomes = new Map<string, Error | undefined>();
    const accepted: { payload: object; job: JobContext }[] = [];
    for (const received of batch) {
      try {
        accepted.push({
          payload: checkedPayload(job.options, received.data),
          job: contextOf(received),
        });
      } catch (error) {
        outcomes.set(received.id, asError(error));
      }
    }
    const stopTimer = this.metrics.jobDuration.startTimer({ job: name });
    try {
      const results = accepted.length > 0 ? await job.handler.handleBatch?.(accepted) : [];
      accepted.forEach((entry, index) => outcomes.set(entry.job.id, results?.[index]));
    } catch (error) {
      for (const entry of accepted) outcomes.set(entry.job.id, asError(error));
    } finally {
      stopTimer();
    }
    return batch.map((received) => {
      const failure = outcomes.get(received.id);
      this.metrics.jobsTotal.inc({ job: name, outcome: failure ? 'failed' : 'completed' });
      if (!failure) return { id: received.id, status: 'completed' };
      this.logFailure(failure, contextOf(received));
      return {
        id: received.id,
        status: 'failed',
        output: { name: failure.name, message: failure.message },
      };
    });
  }

  /** Runs one fetched job; its outcome for pg-boss (a failure is retried, then dead-lettered). */
  private async settle(job: RegisteredJob, received: BossJob<object>): Promise<JobResult> {
    try {
      await this.execute(job, received.data, {
        id: received.id,
        name: job.options.name,
        retryCount: received.retryCount,
      });
      return { id: received.id, status: 'completed' };
    } catch (error) {
      const failure = asError(error);
      return {
        id: received.id,
        status: 'failed',
        output: { name: failure.name, message: failure.message },
      };
    }
  }

  private async execute(job: RegisteredJob, data: unknown, context: JobContext): Promise<void> {
    const stopTimer = this.metrics.jobDuration.startTimer({ job: context.name });
    try {
      await job.handler.handle(checkedPayload(job.options, data), context);
      this.metrics.jobsTotal.inc({ job: context.name, outcome: 'completed' });
    } catch (error) {
      this.metrics.jobsTotal.inc({ job: context.name, outcome: 'failed' });
      this.logFailure(error, context);
      throw error;
    } finally {
      stopTimer();
    }
  }

  private logFailure(error: unknown, context: JobContext): void {
    this.logger.error(
      { err: error, jobId: context.id, job: context.name, retryCount: context.retryCount },
      `job ${context.name} ${context.id} failed (attempt ${context.retryCount + 1})`,
    );
  }

  private registered(name: string): RegisteredJob {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    return job;
  }
}
