import { Module } from '@nestjs/common';
import { TeamsController } from './teams.controller';
import { TeamsCoreModule } from './teams-core.module';

@Module({
  imports: [TeamsCoreModule],
  controllers: [TeamsController],
  exports: [TeamsCoreModule],
})
export class TeamsModule {}
