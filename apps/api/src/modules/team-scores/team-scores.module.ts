import { Module } from '@nestjs/common';
import { TeamScoresController } from './team-scores.controller';
import { TeamScoringModule } from './team-scoring.module';

@Module({
  imports: [TeamScoringModule],
  controllers: [TeamScoresController],
})
export class TeamScoresModule {}
