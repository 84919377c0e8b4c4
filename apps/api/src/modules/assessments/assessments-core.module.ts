import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MaturityModelsCoreModule } from '../maturity-models/maturity-models-core.module';
import { TeamScoringModule } from '../team-scores/team-scoring.module';
import { TeamsCoreModule } from '../teams/teams-core.module';
import { NotificationsModule } from '../webhook-endpoints/notifications.module';
import { AssessmentsRepository } from './assessments.repository';
import { AssessmentsService } from './assessments.service';

/** The assessment use cases without HTTP, for features the worker loads too (campaign close). */
@Module({
  imports: [
    TeamsCoreModule,
    MaturityModelsCoreModule,
    TeamScoringModule,
    IdempotencyModule,
    NotificationsModule,
  ],
  providers: [AssessmentsRepository, AssessmentsService],
  exports: [AssessmentsService],
})
export class AssessmentsCoreModule {}
