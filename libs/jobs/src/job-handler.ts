import { Injectable, SetMetadata } from '@nestjs/common';

export const JOB_HANDLER = Symbol('mlops:jobHandler');

/** How a queue treats its jobs. Defaults suit short idempotent work that may hit a busy database. */
export interface JobOptions {
  /** The queue's name, `<feature>.<verb>` (e.g. `maintenance.purge-expired`). */
  name: string;
  /**
   * Class-validator DTO the payload must satisfy, checked when a job is enqueued and again when a
   * worker receives it (a payload stored by an older build may no longer fit). Omit for jobs
   * without data.
   */
  payload?: new () => object;
  /** Attempts after the first one (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry; doubled on each further one (default 10). */
  retryDelaySeconds?: number;
  /** Cron expression (UTC) for scheduled jobs; run once per occurrence across all workers. */
  cron?: string;
  /**
   * Jobs of this queue one worker process runs at the same time (default 1): that many fetch
   * loops (pg-boss `localConcurrency`). For handlers that mostly wait on the database and whose
   * jobs do not contend with each other.
   */
  concurrency?: number;
  /**
   * Jobs each loop fetches in one round trip (default 1). Each job of a batch is handled on its
   * own, one after the other (or all together by a handler's `handleBatch`), and settled on its
   * own: a failure fails (and retries) that job only. While fetches come back full the loop fetches again at once instead of waiting for the
   * polling interval (pg-boss `burstWhenBatchFull`), so a backlog drains at full speed.
   */
  batchSize?: number;
}

export interface JobContext {
  id: string;
  name: string;
  /** Attempts that already failed before this one. */
  retryCount: number;
}

/** One job of a fetched batch, its payload checked. */
export interface BatchedJob<Payload extends object = object> {
  payload: Payload;
  job: JobContext;
}

/** A feature's job: handles one payload. Throwing fails the attempt (retried, then dead-lettered). */
export interface JobHandler<Payload extends object = object> {
  handle(payload: Payload, job: JobContext): Promise<void>;
  /**
   * Optional: handles a fetched batch (more than one job) at once, for work that is cheaper done
   * together. Resolves to each job's outcome in the batch's order: undefined when it is done, the
   * error that fails (and retries) that job alone otherwise. Rejecting fails the whole batch.
   */
  handleBatch?(jobs: BatchedJob<Payload>[]): Promise<(Error | undefined)[]>;
}

/**
 * Declares a provider as the handler of a queue. The job queue discovers every such provider at
 * start-up, creates its queue (with a `<name>.dead` dead-letter queue) and, in a worker process,
 * runs it.
 */
export function Job(options: JobOptions): ClassDecorator {
  return (target) => {
    Injectable()(target);
    SetMetadata(JOB_HANDLER, options)(target);
  };
}

export function deadLetterQueueOf(name: string): string {
  return `${name}.dead`;
}
