import { Module } from '@nestjs/common';
import { ProgressRecorder } from './progress-recorder';
import { ProgressRepository } from './progress.repository';

/** Writing the progress history, without the HTTP API (the worker loads it too). */
@Module({
  providers: [ProgressRepository, ProgressRecorder],
  exports: [ProgressRepository, ProgressRecorder],
})
export class ProgressRecordingModule {}
