import { Body, Get, Headers, HttpCode, HttpStatus, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OrganizationController, RequirePermission, Tenant, UuidParam } from '@app/common';
import type { TenantScope } from '@app/common';
import { ifMatchHeader, withEntityTag } from '../idempotency/etag';
import {
  CreateRoadmapDto,
  RoadmapDto,
  RoadmapItemWithHistoryDto,
  RoadmapListQueryDto,
  RoadmapPageDto,
  UpdateRoadmapItemDto,
} from './dto/roadmap.dto';
import { RoadmapsService } from './roadmaps.service';

const ROADMAP_PARAM = { name: 'roadmapId', format: 'uuid' } as const;
const ITEM_PARAM = { name: 'itemId', format: 'uuid' } as const;

@ApiTags('roadmaps')
@OrganizationController('teams/:teamId/roadmaps')
@ApiParam({ name: 'teamId', format: 'uuid' })
export class RoadmapsController {
  constructor(private readonly roadmaps: RoadmapsService) {}

  @Post()
  @RequirePermission('roadmaps:write')
  @ApiOperation({
    summary: "Build the team's roadmap to its target levels (archives the active one).",
    description:
      "Items are the unmet criteria up to each target level of the team's current scored state " +
      '(or of `fromAssessmentId`), ordered by level, then weakest dimension, then criterion ' +
      'weight, and spread over the horizon: short (0-3 months), medium (3-6), long (6+).',
  })
  @ApiCreatedResponse({ type: RoadmapDto })
  @ApiConflictResponse({ description: 'The team has no submitted assessment (or it is a draft).' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown dimensions or levels outside 1..3.' })
  create(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @Body() body: CreateRoadmapDto,
  ): Promise<RoadmapDto> {
    return this.roadmaps.create(scope, teamId, body);
  }

  @Get()
  @RequirePermission('roadmaps:read')
  @ApiOperation({ summary: "The team's roadmaps, newest first (the active one and archived)." })
  @ApiOkResponse({ type: RoadmapPageDto })
  list(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @Query() query: RoadmapListQueryDto,
  ) {
    return this.roadmaps.list(scope, teamId, query);
  }

  @Get(':roadmapId')
  @RequirePermission('roadmaps:read')
  @ApiParam(ROADMAP_PARAM)
  @ApiOperation({ summary: 'A roadmap with its items and progress per phase and overall.' })
  @ApiOkResponse({ type: RoadmapDto })
  get(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @UuidParam('roadmapId') roadmapId: string,
  ): Promise<RoadmapDto> {
    return this.roadmaps.get(scope, teamId, roadmapId);
  }

  @Post(':roadmapId/archive')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('roadmaps:write')
  @ApiParam(ROADMAP_PARAM)
  @ApiOperation({ summary: 'Archive a roadmap (its items stop changing).' })
  @ApiOkResponse({ type: RoadmapDto })
  @ApiConflictResponse({ description: 'Archived already.' })
  archive(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @UuidParam('roadmapId') roadmapId: string,
  ): Promise<RoadmapDto> {
    return this.roadmaps.archive(scope, teamId, roadmapId);
  }

  @Get(':roadmapId/items/:itemId')
  @RequirePermission('roadmaps:read')
  @ApiParam(ROADMAP_PARAM)
  @ApiParam(ITEM_PARAM)
  @ApiOperation({ summary: 'One item with its history (every change and its cause).' })
  @ApiOkResponse({ type: RoadmapItemWithHistoryDto, description: 'ETag header set.' })
  async getItem(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @UuidParam('roadmapId') roadmapId: string,
    @UuidParam('itemId') itemId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.roadmaps.getItem(scope, teamId, roadmapId, itemId));
  }

  @Patch(':roadmapId/items/:itemId')
  @RequirePermission('roadmap-items:update')
  @ApiParam(ROADMAP_PARAM)
  @ApiParam(ITEM_PARAM)
  @ApiHeader(ifMatchHeader('The item'))
  @ApiOperation({
    summary: "Update an item's status, owner, due date or note.",
    description: "Owners, admins, the team's leads and the item's owner only.",
  })
  @ApiOkResponse({ type: RoadmapItemWithHistoryDto, description: 'New ETag header.' })
  @ApiConflictResponse({ description: 'The roadmap is archived.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  @ApiUnprocessableEntityResponse({ description: 'The owner is not a member of the team.' })
  async updateItem(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @UuidParam('roadmapId') roadmapId: string,
    @UuidParam('itemId') itemId: string,
    @Body() body: UpdateRoadmapItemDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(
      reply,
      await this.roadmaps.updateItem(scope, teamId, roadmapId, itemId, body, ifMatch),
    );
  }
}
