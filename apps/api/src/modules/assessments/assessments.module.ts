import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MaturityModelsModule } from '../maturity-models/maturity-models.module';
import { TeamScoringModule } from '../team-scores/team-scoring.module';
import { TeamsModule } from '../teams/teams.module';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsRepository } from './assessments.repository';
import { AssessmentsService } from './assessments.service';

@Module({
  imports: [TeamsModule, MaturityModelsModule, TeamScoringModule, IdempotencyModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsRepository, AssessmentsService],
  exports: [AssessmentsService],
})
export class AssessmentsModule {}
