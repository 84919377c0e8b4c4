import { Module } from '@nestjs/common';
import { AssessmentsCoreModule } from '../assessments/assessments-core.module';
import { EmailModule } from '../email/email.module';
import { MaturityModelsCoreModule } from '../maturity-models/maturity-models-core.module';
import { NotificationsModule } from '../webhook-endpoints/notifications.module';
import { CampaignNotifier } from './campaign-notifier';
import { CampaignResponsesService } from './campaign-responses.service';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';

/** The campaigns use cases, shared by the HTTP module and the scheduler job. */
@Module({
  imports: [AssessmentsCoreModule, MaturityModelsCoreModule, EmailModule, NotificationsModule],
  providers: [CampaignsRepository, CampaignsService, CampaignResponsesService, CampaignNotifier],
  exports: [CampaignsRepository, CampaignsService, CampaignResponsesService, CampaignNotifier],
})
export class CampaignsCoreModule {}
