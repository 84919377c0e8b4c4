import { Module } from '@nestjs/common';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';

/** The teams use cases without HTTP, for features the worker loads too (campaign close). */
@Module({ providers: [TeamsRepository, TeamsService], exports: [TeamsService] })
export class TeamsCoreModule {}
