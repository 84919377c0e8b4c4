import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsCoreModule } from './assessments-core.module';

@Module({
  imports: [AssessmentsCoreModule, IdempotencyModule],
  controllers: [AssessmentsController],
  exports: [AssessmentsCoreModule],
})
export class AssessmentsModule {}
