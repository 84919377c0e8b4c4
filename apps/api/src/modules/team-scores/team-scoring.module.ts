import { Module } from '@nestjs/common';
import { ProgressCoreModule } from '../progress/progress-core.module';
import { RoadmapReconcilerModule } from '../roadmaps/roadmap-reconciler.module';
import { NotificationsModule } from '../webhook-endpoints/notifications.module';
import { TeamScoresRepository } from './team-scores.repository';
import { TeamScoresService } from './team-scores.service';

/** Re-scoring teams, without the HTTP API (evidence and campaign jobs in the worker use it). */
@Module({
  imports: [ProgressCoreModule, NotificationsModule, RoadmapReconcilerModule],
  providers: [TeamScoresRepository, TeamScoresService],
  exports: [TeamScoresService],
})
export class TeamScoringModule {}
