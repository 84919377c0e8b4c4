import { Logger } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { IsRfc3339DateTime, Optional, systemScope } from '@app/common';
import { Job, JobContext, JobHandler } from '@app/jobs';
import { CampaignNotifier } from './campaign-notifier';
import { CampaignScheduleRepository } from './campaign-schedule.repository';
import { CAMPAIGN_NOTIFY_JOB, CampaignsService } from './campaigns.service';

export const CAMPAIGN_SCHEDULER_JOB = 'campaigns.scheduler';

/**
 * Every minute: opens the campaigns whose opensAt has come, closes those whose closesAt has come
 * and reminds where a reminder is due. pg-boss runs one occurrence of a cron job per minute across
 * all workers, but a slow run, a retry or a restarted worker may overlap another; each action is
 * therefore a conditional state change in the campaign's own transaction (CampaignsService), so
 * it happens exactly once whoever runs it. One campaign failing does not hold up the others; the
 * run then fails so it is retried (and logged).
 */
@Job({ name: CAMPAIGN_SCHEDULER_JOB, cron: '* * * * *', retryLimit: 1, retryDelaySeconds: 20 })
export class CampaignSchedulerJob implements JobHandler {
  private readonly logger = new Logger('CampaignScheduler');

  constructor(
    private readonly schedule: CampaignScheduleRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  async handle(_payload: object, job: JobContext): Promise<void> {
    const at = new Date();
    const failures: unknown[] = [];
    for (const due of await this.schedule.due(at)) {
      const scope = systemScope(due.organizationId, job.name, { jobId: job.id });
      for (const action of due.actions) {
        try {
          const done = await this.campaigns.runScheduled(scope, due.campaignId, action, at);
          if (done) this.logger.log({ campaignId: due.campaignId, action }, `campaign ${action}`);
        } catch (error) {
          failures.push(error);
          this.logger.error({ err: error, campaignId: due.campaignId, action }, 'failed');
          break;
        }
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} scheduled campaign action(s) failed`);
    }
  }
}

export class CampaignNotifyPayload {
  @IsUUID()
  organizationId!: string;

  @IsUUID()
  campaignId!: string;

  /** The reminder round (its start); absent: the invitation. */
  @Optional()
  @IsRfc3339DateTime()
  round?: string;
}

/** Emails the invitation (when a campaign opens) or one reminder round; enqueued by the change. */
@Job({ name: CAMPAIGN_NOTIFY_JOB, payload: CampaignNotifyPayload, retryLimit: 5 })
export class CampaignNotifyJob implements JobHandler<CampaignNotifyPayload> {
  private readonly logger = new Logger('CampaignNotify');

  constructor(private readonly notifier: CampaignNotifier) {}

  async handle(payload: CampaignNotifyPayload, job: JobContext): Promise<void> {
    const scope = systemScope(payload.organizationId, job.name, { jobId: job.id });
    const round = payload.round ? new Date(payload.round) : null;
    const emailed = await this.notifier.notify(scope, payload.campaignId, round);
    this.logger.log(
      { campaignId: payload.campaignId, emailed },
      `campaign ${round ? 'reminder' : 'invitation'}: ${emailed} emails sent`,
    );
  }
}
