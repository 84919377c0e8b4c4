import { Module } from '@nestjs/common';
import { CampaignsCoreModule } from './campaigns-core.module';
import { CampaignsController } from './campaigns.controller';

@Module({ imports: [CampaignsCoreModule], controllers: [CampaignsController] })
export class CampaignsModule {}
