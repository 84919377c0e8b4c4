import { Module } from '@nestjs/common';
import { ProgressRecordingModule } from '../progress/progress-recording.module';
import { TeamScoresRepository } from './team-scores.repository';
import { TeamScoresService } from './team-scores.service';

/** Re-scoring teams, without the HTTP API (evidence jobs in the worker use it). */
@Module({
  imports: [ProgressRecordingModule],
  providers: [TeamScoresRepository, TeamScoresService],
  exports: [TeamScoresService],
})
export class TeamScoringModule {}
