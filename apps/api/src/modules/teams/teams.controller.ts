import { Body, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
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
} from '@app/common';
import type { TenantScope } from '@app/common';
import {
  CreateTeamDto,
  PutTeamMemberDto,
  TeamDto,
  TeamMemberDto,
  TeamMemberListDto,
  TeamPageDto,
  UpdateTeamDto,
} from './dto/team.dto';
import { TeamsService } from './teams.service';

@ApiTags('teams')
@OrganizationController('teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Post()
  @RequirePermission('teams:write')
  @ApiOperation({ summary: 'Create a team.' })
  @ApiCreatedResponse({ type: TeamDto })
  @ApiConflictResponse({ description: 'The slug is taken in this organization.' })
  create(@Tenant() scope: TenantScope, @Body() body: CreateTeamDto): Promise<TeamDto> {
    return this.teams.create(scope, body);
  }

  @Get()
  @RequirePermission('teams:read')
  @ApiOperation({ summary: 'Teams, newest first.' })
  @ApiOkResponse({ type: TeamPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: TimeRangePageQueryDto) {
    return this.teams.list(scope, query);
  }

  @Get(':teamId')
  @RequirePermission('teams:read')
  @ApiOperation({ summary: 'One team.' })
  @ApiOkResponse({ type: TeamDto })
  get(@Tenant() scope: TenantScope, @UuidParam('teamId') teamId: string): Promise<TeamDto> {
    return this.teams.get(scope, teamId);
  }

  @Patch(':teamId')
  @RequirePermission('teams:write')
  @ApiOperation({ summary: 'Rename a team or change its slug.' })
  @ApiOkResponse({ type: TeamDto })
  @ApiConflictResponse({ description: 'The slug is taken in this organization.' })
  update(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @Body() body: UpdateTeamDto,
  ): Promise<TeamDto> {
    return this.teams.update(scope, teamId, body);
  }

  @Delete(':teamId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('teams:write')
  @ApiOperation({ summary: 'Delete a team without assessment history.' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The team has assessment history.' })
  remove(@Tenant() scope: TenantScope, @UuidParam('teamId') teamId: string): Promise<void> {
    return this.teams.remove(scope, teamId);
  }

  @Get(':teamId/members')
  @RequirePermission('teams:read')
  @ApiOperation({ summary: "A team's members and their team roles, oldest first." })
  @ApiOkResponse({ type: TeamMemberListDto })
  listMembers(@Tenant() scope: TenantScope, @UuidParam('teamId') teamId: string) {
    return this.teams.listMembers(scope, teamId);
  }

  @Put(':teamId/members/:userId')
  @RequirePermission('teams:write')
  @ApiOperation({
    summary: 'Add a member of the organization to the team, or change their team role.',
  })
  @ApiOkResponse({ type: TeamMemberDto })
  putMember(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @UuidParam('userId') userId: string,
    @Body() body: PutTeamMemberDto,
  ): Promise<TeamMemberDto> {
    return this.teams.putMember(scope, teamId, userId, body.role);
  }

  @Delete(':teamId/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('teams:write')
  @ApiOperation({ summary: 'Take a member off the team (they stay in the organization).' })
  @ApiNoContentResponse()
  removeMember(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    return this.teams.removeMember(scope, teamId, userId);
  }
}
