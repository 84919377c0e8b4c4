import { Module } from '@nestjs/common';
import { CampaignsCoreModule } from './campaigns-core.module';
import { CampaignResponsesController } from './campaign-responses.controller';
import { CampaignsController } from './campaigns.controller';

@Module({
  imports: [CampaignsCoreModule],
  controllers: [CampaignsController, CampaignResponsesController],
})
export class CampaignsModule {}
