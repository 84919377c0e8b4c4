import { Body, Get, Headers, HttpCode, HttpStatus, Post, Put, Query, Res } from '@nestjs/common';
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
import {
  OrganizationController,
  PageQueryDto,
  RequirePermission,
  Tenant,
  UuidParam,
} from '@app/common';
import type { TenantScope } from '@app/common';
import { ifMatchHeader, withEntityTag } from '../idempotency/etag';
import {
  CampaignDto,
  CampaignListQueryDto,
  CampaignPageDto,
  CampaignParticipantPageDto,
  CampaignResponseDto,
  CampaignResultsDto,
  CreateCampaignDto,
  PutResponseDto,
} from './dto/campaign.dto';
import { CampaignsService } from './campaigns.service';

const CAMPAIGN_PARAM = { name: 'campaignId', format: 'uuid' } as const;
const CAMPAIGN_IF_MATCH = ifMatchHeader('The campaign');
const RESPONSE_IF_MATCH = ifMatchHeader('The response');

@ApiTags('campaigns')
@OrganizationController('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @RequirePermission('campaigns:manage')
  @ApiOperation({
    summary: 'Create a draft campaign: teams, participants (default: their members), window.',
  })
  @ApiCreatedResponse({ type: CampaignDto, description: 'ETag header set.' })
  @ApiUnprocessableEntityResponse({
    description: 'Draft model version, closesAt not after opensAt, bad participants.',
  })
  async create(
    @Tenant() scope: TenantScope,
    @Body() body: CreateCampaignDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.campaigns.create(scope, body));
  }

  @Get()
  @RequirePermission('campaigns:read')
  @ApiOperation({ summary: 'Campaigns, newest first, with the live response rate per team.' })
  @ApiOkResponse({ type: CampaignPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: CampaignListQueryDto) {
    return this.campaigns.list(scope, query);
  }

  @Get(':campaignId')
  @RequirePermission('campaigns:read')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiOperation({ summary: 'A campaign with the live response rate per team.' })
  @ApiOkResponse({ type: CampaignDto, description: 'ETag header set.' })
  async get(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.campaigns.get(scope, campaignId));
  }

  @Get(':campaignId/participants')
  @RequirePermission('campaigns:read')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiOperation({
    summary: 'Participants and what became of their invitation (responded: named campaigns only).',
  })
  @ApiOkResponse({ type: CampaignParticipantPageDto })
  participants(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Query() query: PageQueryDto,
  ) {
    return this.campaigns.participants(scope, campaignId, query);
  }

  @Post(':campaignId/launch')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('campaigns:manage')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiHeader(CAMPAIGN_IF_MATCH)
  @ApiOperation({
    summary: 'draft -> scheduled; the worker opens it at opensAt (at once if that has passed).',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse({ description: 'Not a draft.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  @ApiUnprocessableEntityResponse({ description: 'No participant.' })
  async launch(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.campaigns.launch(scope, campaignId, ifMatch));
  }

  @Post(':campaignId/close')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('campaigns:manage')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiHeader(CAMPAIGN_IF_MATCH)
  @ApiOperation({
    summary: 'Close an open campaign now: aggregate, score and store one assessment per team.',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse({ description: 'Not open.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  async close(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.campaigns.close(scope, campaignId, ifMatch));
  }

  @Post(':campaignId/cancel')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('campaigns:manage')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiHeader(CAMPAIGN_IF_MATCH)
  @ApiOperation({ summary: 'Cancel a draft, scheduled or open campaign (nothing is aggregated).' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiConflictResponse({ description: 'Already closed or cancelled.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  async cancel(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.campaigns.cancel(scope, campaignId, ifMatch));
  }

  @Get(':campaignId/results')
  @RequirePermission('campaigns:read')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiOperation({
    summary: 'Per team: aggregated answers, scores, response rate, agreement, change.',
    description:
      'A team with fewer than minRespondents submitted responses shows only its counts. ' +
      'Results never name a respondent.',
  })
  @ApiOkResponse({ type: CampaignResultsDto })
  @ApiConflictResponse({ description: 'The campaign is not closed.' })
  results(@Tenant() scope: TenantScope, @UuidParam('campaignId') campaignId: string) {
    return this.campaigns.results(scope, campaignId);
  }

  @Get(':campaignId/my-response')
  @RequirePermission('campaigns:respond')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiOperation({ summary: "The caller's own response, with the questions." })
  @ApiOkResponse({ type: CampaignResponseDto, description: 'ETag header set.' })
  async myResponse(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.campaigns.myResponse(scope, campaignId));
  }

  @Put(':campaignId/my-response')
  @RequirePermission('campaigns:respond')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiHeader(RESPONSE_IF_MATCH)
  @ApiOperation({ summary: 'Save answers (each listed criterion replaced; others kept).' })
  @ApiOkResponse({ type: CampaignResponseDto, description: 'New ETag header.' })
  @ApiConflictResponse({ description: 'Submitted, or the campaign is not open.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown or repeated criterion keys.' })
  async saveMyResponse(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Body() body: PutResponseDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(
      reply,
      await this.campaigns.saveMyResponse(scope, campaignId, body, ifMatch),
    );
  }

  @Post(':campaignId/my-response/submit')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('campaigns:respond')
  @ApiParam(CAMPAIGN_PARAM)
  @ApiHeader(RESPONSE_IF_MATCH)
  @ApiOperation({ summary: 'Submit the response (final).' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiConflictResponse({ description: 'Already submitted, or the campaign is not open.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  async submitMyResponse(
    @Tenant() scope: TenantScope,
    @UuidParam('campaignId') campaignId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.campaigns.submitMyResponse(scope, campaignId, ifMatch));
  }
}
