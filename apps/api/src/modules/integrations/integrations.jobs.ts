import { Logger } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { BatchedJob, Job, JobContext, JobHandler } from '@app/jobs';
import { DeliveryProcessor } from './delivery-processor';

export const PROCESS_DELIVERY_JOB = 'integrations.process-delivery';
/** Attempts after the first; with the doubling delay: 5 s, 10 s, 20 s, 40 s, 80 s. */
const PROCESS_DELIVERY_RETRIES = 5;
/** Measured with bench/drain.js (BENCHMARKS.md). */
const PROCESS_DELIVERY_CONCURRENCY = 2;
const PROCESS_DELIVERY_BATCH = 1000;

export class ProcessDeliveryPayload {
  @IsUUID() organizationId!: string;
  @IsUUID() deliveryId!: string;
}

/**
 * Processes one stored webhook delivery (enqueued in the transaction that stored it). A failed
 * attempt is recorded on the delivery (`failed`, with the error) and retried with backoff; the
 * last one marks it `dead`, from where `redeliver` can take it again.
 *
 * A worker draining a backlog processes each fetched batch's first attempts of one organization
 * in one transaction (DeliveryProcessor.processMany); should that fail, each of them is processed
 * alone, so a bad delivery fails (and retries) only itself. Retries are always processed alone.
 */
@Job({
  name: PROCESS_DELIVERY_JOB,
  payload: ProcessDeliveryPayload,
  retryLimit: PROCESS_DELIVERY_RETRIES,
  retryDelaySeconds: 5,
  // Batches of one organization's deliveries that concern the same teams serialise on the teams'
  // scoring locks, so a few large batches beat many small ones (bench/drain.js).
  concurrency: PROCESS_DELIVERY_CONCURRENCY,
  batchSize: PROCESS_DELIVERY_BATCH,
})
export class ProcessDeliveryJob implements JobHandler<ProcessDeliveryPayload> {
  private readonly logger = new Logger('Integrations');

  constructor(private readonly processor: DeliveryProcessor) {}

  async handle(payload: ProcessDeliveryPayload, job: JobContext): Promise<void> {
    try {
      await this.processor.process(payload.organizationId, payload.deliveryId, job);
    } catch (error) {
      await this.processor.recordFailure(
        payload.organizationId,
        payload.deliveryId,
        error,
        job.retryCount >= PROCESS_DELIVERY_RETRIES,
        job,
      );
      throw error;
    }
  }

  async handleBatch(jobs: BatchedJob<ProcessDeliveryPayload>[]): Promise<(Error | undefined)[]> {
    const outcomes = new Map<BatchedJob<ProcessDeliveryPayload>, Error | undefined>();
    const firstAttempts = new Map<string, BatchedJob<ProcessDeliveryPayload>[]>();
    const alone: BatchedJob<ProcessDeliveryPayload>[] = [];
    for (const entry of jobs) {
      if (entry.job.retryCount > 0) {
        alone.push(entry);
      } else {
        const group = firstAttempts.get(entry.payload.organizationId) ?? [];
        group.push(entry);
        firstAttempts.set(entry.payload.organizationId, group);
      }
    }
    for (const [organizationId, group] of firstAttempts) {
      try {
        await this.processor.processMany(
          organizationId,
          group.map((entry) => entry.payload.deliveryId),
          // The transaction acts as the batch's first job (snapshots name the deliveries).
          group[0].job,
        );
        for (const entry of group) outcomes.set(entry, undefined);
      } catch (error) {
        this.logger.warn(
          { err: error, organizationId, deliveries: group.length },
          'a batch of deliveries failed; processing them one by one',
        );
        alone.push(...group);
      }
    }
    for (const entry of alone) {
      try {
        await this.handle(entry.payload, entry.job);
        outcomes.set(entry, undefined);
      } catch (error) {
        outcomes.set(entry, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return jobs.map((entry) => outcomes.get(entry));
  }
}
