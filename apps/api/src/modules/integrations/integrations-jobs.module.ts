import { Module } from '@nestjs/common';
import { EvidenceJobsModule } from '../evidence/evidence-jobs.module';
import { DeliveryProcessor } from './delivery-processor';
import { ProcessDeliveryJob } from './integrations.jobs';
import { IntegrationsRepository } from './integrations.repository';

/** Processing webhook deliveries, without the HTTP API (loaded by the worker too). */
@Module({
  imports: [EvidenceJobsModule],
  providers: [IntegrationsRepository, DeliveryProcessor, ProcessDeliveryJob],
  exports: [IntegrationsRepository],
})
export class IntegrationsJobsModule {}
