import { Module } from '@nestjs/common';
import { EvidenceJobsModule } from '../evidence/evidence-jobs.module';
import { IntegrationsJobsModule } from './integrations-jobs.module';
import { IntegrationsController } from './integrations.controller';
import { IntegrationsService } from './integrations.service';

@Module({
  imports: [IntegrationsJobsModule, EvidenceJobsModule],
  controllers: [IntegrationsController],
  providers: [IntegrationsService],
  exports: [IntegrationsService],
})
export class IntegrationsModule {}
