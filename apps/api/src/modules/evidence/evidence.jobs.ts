import { Job, JobContext, JobHandler } from '@app/jobs';
import { EvidenceRecorder } from './evidence-recorder';

export const RESCORE_STALE_EVIDENCE_JOB = 'evidence.rescore-stale';

/**
 * Every minute: teams whose deciding CI evidence went stale are re-scored, so a level that
 * rested on proof that is no longer fresh drops when the proof does, not at the next delivery.
 */
@Job({ name: RESCORE_STALE_EVIDENCE_JOB, cron: '* * * * *', retryLimit: 1 })
export class RescoreStaleEvidenceJob implements JobHandler {
  constructor(private readonly evidence: EvidenceRecorder) {}

  async handle(_payload: object, job: JobContext): Promise<void> {
    await this.evidence.rescoreStale(job.name, job.id);
  }
}
