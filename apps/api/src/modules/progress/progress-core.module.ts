import { Module } from '@nestjs/common';
import { TeamsCoreModule } from '../teams/teams-core.module';
import { ProgressRepository } from './progress.repository';
import { ProgressService } from './progress.service';

/** The progress history without HTTP, for features the worker loads too (campaign close). */
@Module({
  imports: [TeamsCoreModule],
  providers: [ProgressRepository, ProgressService],
  exports: [ProgressService],
})
export class ProgressCoreModule {}
