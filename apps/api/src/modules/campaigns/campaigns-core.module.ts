import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { MaturityModelsModule } from '../maturity-models/maturity-models.module';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';

/** The campaigns use cases, shared by the HTTP module and the scheduler job. */
@Module({
  imports: [AssessmentsModule, MaturityModelsModule],
  providers: [CampaignsRepository, CampaignsService],
  exports: [CampaignsRepository, CampaignsService],
})
export class CampaignsCoreModule {}
