import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MaturityModelsModule } from '../maturity-models/maturity-models.module';
import { ProgressModule } from '../progress/progress.module';
import { RoadmapReconcilerModule } from '../roadmaps/roadmap-reconciler.module';
import { TeamsModule } from '../teams/teams.module';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsRepository } from './assessments.repository';
import { AssessmentsService } from './assessments.service';

@Module({
  imports: [
    TeamsModule,
    MaturityModelsModule,
    ProgressModule,
    IdempotencyModule,
    RoadmapReconcilerModule,
  ],
  controllers: [AssessmentsController],
  providers: [AssessmentsRepository, AssessmentsService],
})
export class AssessmentsModule {}
