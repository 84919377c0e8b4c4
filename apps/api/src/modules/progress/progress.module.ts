import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module';
import { ProgressRecordingModule } from './progress-recording.module';
import { ProgressController } from './progress.controller';
import { ProgressService } from './progress.service';

@Module({
  imports: [TeamsModule, ProgressRecordingModule],
  controllers: [ProgressController],
  providers: [ProgressService],
  exports: [ProgressService],
})
export class ProgressModule {}
