import { Body, Delete, Get, HttpCode, HttpStatus, Post, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OrganizationController, RequirePermission, Tenant, UuidParam } from '@app/common';
import type { TenantScope } from '@app/common';
import {
  CreatedReportLinkDto,
  CreateReportLinkDto,
  ReportLinkListQueryDto,
  ReportLinkPageDto,
} from './dto/report-link.dto';
import { ReportLinksService } from './report-links.service';

@ApiTags('reports')
@OrganizationController('report-links')
export class ReportLinksController {
  constructor(private readonly links: ReportLinksService) {}

  @Post()
  @RequirePermission('report-links:manage')
  @ApiOperation({
    summary: 'Share a report: a URL that opens it with no login until it expires or is revoked.',
    description:
      'The token is shown once (only its hash is stored). The page shows the named report with ' +
      'these parameters and nothing else.',
  })
  @ApiCreatedResponse({ type: CreatedReportLinkDto })
  @ApiUnprocessableEntityResponse({ description: 'expiresAt in the past or over a year ahead.' })
  create(
    @Tenant() scope: TenantScope,
    @Body() body: CreateReportLinkDto,
    @Req() request: FastifyRequest,
  ): Promise<CreatedReportLinkDto> {
    return this.links.create(scope, body, `${request.protocol}://${request.host}`);
  }

  @Get()
  @RequirePermission('report-links:manage')
  @ApiOperation({ summary: 'Share links, newest first (revoked and expired ones included).' })
  @ApiOkResponse({ type: ReportLinkPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: ReportLinkListQueryDto) {
    return this.links.list(scope, query);
  }

  @Delete(':linkId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('report-links:manage')
  @ApiParam({ name: 'linkId', format: 'uuid' })
  @ApiOperation({ summary: 'Revoke a share link: its URL answers 404 from now on.' })
  @ApiNoContentResponse()
  revoke(@Tenant() scope: TenantScope, @UuidParam('linkId') linkId: string): Promise<void> {
    return this.links.revoke(scope, linkId);
  }
}
