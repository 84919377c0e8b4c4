import { DynamicModule, Module } from '@nestjs/common';
import {
  CAMPAIGN_SCHEDULE_OPTIONS,
  CampaignScheduleOptions,
  CampaignScheduleRepository,
} from './campaign-schedule.repository';
import { CampaignsCoreModule } from './campaigns-core.module';
import { CampaignNotifyJob, CampaignSchedulerJob } from './campaigns.jobs';

/** The campaign scheduler (open, close, remind), loaded by the worker and the API alike. */
@Module({})
export class CampaignsJobsModule {
  static forRoot(options: CampaignScheduleOptions): DynamicModule {
    return {
      module: CampaignsJobsModule,
      imports: [CampaignsCoreModule],
      providers: [
        { provide: CAMPAIGN_SCHEDULE_OPTIONS, useValue: options },
        CampaignScheduleRepository,
        CampaignSchedulerJob,
        CampaignNotifyJob,
      ],
    };
  }
}
