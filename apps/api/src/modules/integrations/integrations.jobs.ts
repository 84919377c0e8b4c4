import { IsUUID } from 'class-validator';
import { Job, JobContext, JobHandler } from '@app/jobs';
import { DeliveryProcessor } from './delivery-processor';

export const PROCESS_DELIVERY_JOB = 'integrations.process-delivery';
/** Attempts after the first; with the doubling delay: 5 s, 10 s, 20 s, 40 s, 80 s. */
const PROCESS_DELIVERY_RETRIES = 5;
/** Measured with bench/drain.js (BENCHMARKS.md). */
const PROCESS_DELIVERY_CONCURRENCY = 8;
const PROCESS_DELIVERY_BATCH = 10;

export class ProcessDeliveryPayload {
  @IsUUID() organizationId!: string;
  @IsUUID() deliveryId!: string;
}

/**
 * Processes one stored webhook delivery (enqueued in the transaction that stored it). A failed
 * attempt is recorded on the delivery (`failed`, with the error) and retried with backoff; the
 * last one marks it `dead`, from where `redeliver` can take it again.
 */
@Job({
  name: PROCESS_DELIVERY_JOB,
  payload: ProcessDeliveryPayload,
  retryLimit: PROCESS_DELIVERY_RETRIES,
  retryDelaySeconds: 5,
  // Processing mostly waits on the database (and deliveries for different teams do not contend:
  // re-scoring locks per team), so a worker runs several at once and pulls a backlog in batches.
  concurrency: PROCESS_DELIVERY_CONCURRENCY,
  batchSize: PROCESS_DELIVERY_BATCH,
})
export class ProcessDeliveryJob implements JobHandler<ProcessDeliveryPayload> {
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
}
