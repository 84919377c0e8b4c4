import { Module } from '@nestjs/common';
import {
  InvitationAcceptanceController,
  InvitationsController,
  MembersController,
} from './memberships.controller';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

/** Who belongs to an organization, with which role, and how people join it (invitations). */
@Module({
  controllers: [MembersController, InvitationsController, InvitationAcceptanceController],
  providers: [MembersRepository, MembersService, InvitationsRepository, InvitationsService],
  exports: [MembersService, InvitationsService],
})
export class MembershipsModule {}
