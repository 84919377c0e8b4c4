import { Module } from '@nestjs/common';
import { ProgressController } from './progress.controller';
import { ProgressCoreModule } from './progress-core.module';

@Module({
  imports: [ProgressCoreModule],
  controllers: [ProgressController],
  exports: [ProgressCoreModule],
})
export class ProgressModule {}
