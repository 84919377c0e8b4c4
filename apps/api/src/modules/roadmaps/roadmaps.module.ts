import { Module } from '@nestjs/common';
import { MaturityModelsModule } from '../maturity-models/maturity-models.module';
import { TeamScoringModule } from '../team-scores/team-scoring.module';
import { TeamsModule } from '../teams/teams.module';
import { RoadmapReconcilerModule } from './roadmap-reconciler.module';
import { RoadmapsController } from './roadmaps.controller';
import { RoadmapsService } from './roadmaps.service';

@Module({
  imports: [TeamsModule, MaturityModelsModule, RoadmapReconcilerModule, TeamScoringModule],
  controllers: [RoadmapsController],
  providers: [RoadmapsService],
  exports: [RoadmapsService],
})
export class RoadmapsModule {}
