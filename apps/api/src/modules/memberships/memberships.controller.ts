import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  OrganizationController,
  RequirePermission,
  TimeRangePageQueryDto,
  UuidParam,
  Tenant,
  SignedInUser,
} from '@app/common';
import type { TenantScope, UserScope } from '@app/common';
import {
  AcceptedInvitationDto,
  ChangeMemberRoleDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationPageDto,
  MemberDto,
  MemberPageDto,
} from './dto/membership.dto';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';

@ApiTags('members')
@OrganizationController('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @RequirePermission('members:read')
  @ApiOperation({ summary: 'Members and their roles, newest first.' })
  @ApiOkResponse({ type: MemberPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: TimeRangePageQueryDto) {
    return this.members.list(scope, query);
  }

  @Patch(':userId')
  @RequirePermission('members:manage')
  @ApiOperation({
    summary: "Change a member's role.",
    description: 'Only an owner may grant or take away the owner role.',
  })
  @ApiOkResponse({ type: MemberDto })
  @ApiConflictResponse({ description: 'The last owner cannot be demoted.' })
  changeRole(
    @Tenant() scope: TenantScope,
    @UuidParam('userId') userId: string,
    @Body() body: ChangeMemberRoleDto,
  ): Promise<MemberDto> {
    return this.members.changeRole(scope, userId, body.role);
  }

  // members:read so that every member can leave; removing someone else is checked in the service.
  @Delete(':userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('members:read')
  @ApiOperation({
    summary: 'Remove a member, or leave (your own user id).',
    description:
      'Removing someone else needs members:manage; removing an owner needs an owner. ' +
      'Their team memberships go too.',
  })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The last owner cannot leave or be removed.' })
  remove(@Tenant() scope: TenantScope, @UuidParam('userId') userId: string): Promise<void> {
    return this.members.remove(scope, userId);
  }
}

@ApiTags('members')
@OrganizationController('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @RequirePermission('invitations:manage')
  @ApiOperation({
    summary: 'Invite someone by email; the token in the answer is shown once.',
    description: 'Only owners may invite owners. The token expires after INVITATION_TTL_SECONDS.',
  })
  @ApiCreatedResponse({ type: CreatedInvitationDto })
  @ApiConflictResponse({ description: 'The email already belongs to a member.' })
  create(
    @Tenant() scope: TenantScope,
    @Body() body: CreateInvitationDto,
  ): Promise<CreatedInvitationDto> {
    return this.invitations.create(scope, body);
  }

  @Get()
  @RequirePermission('invitations:manage')
  @ApiOperation({ summary: 'Invitations that can still be accepted, newest first.' })
  @ApiOkResponse({ type: InvitationPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: TimeRangePageQueryDto) {
    return this.invitations.listPending(scope, query);
  }

  @Delete(':invitationId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('invitations:manage')
  @ApiOperation({ summary: 'Revoke an invitation; its token stops working.' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The invitation was already accepted.' })
  revoke(
    @Tenant() scope: TenantScope,
    @UuidParam('invitationId') invitationId: string,
  ): Promise<void> {
    return this.invitations.revoke(scope, invitationId);
  }
}

/** Outside /organizations/{orgId}: the invitee is not a member yet; the token names the tenant. */
@ApiTags('members')
@ApiBearerAuth()
@Controller('v1/invitations')
export class InvitationAcceptanceController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post(':token/accept')
  @ApiOperation({
    summary: 'Accept an invitation as the signed-in user whose email it was sent to.',
  })
  @ApiCreatedResponse({ type: AcceptedInvitationDto })
  @ApiNotFoundResponse({ description: 'Unknown or malformed token, or not your invitation.' })
  @ApiGoneResponse({ description: 'The invitation expired or was already used.' })
  @ApiConflictResponse({ description: 'You are already a member.' })
  @ApiForbiddenResponse({ description: 'API keys cannot accept invitations.' })
  accept(
    @SignedInUser() caller: UserScope,
    @Param('token') token: string,
  ): Promise<AcceptedInvitationDto> {
    return this.invitations.accept(caller, token);
  }
}
