import { Body, Get, Headers, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OrganizationController, RequirePermission, Tenant, UuidParam } from '@app/common';
import type { TenantScope } from '@app/common';
import { idempotencyKeyHeader } from '../idempotency/etag';
import { IdempotencyService } from '../idempotency/idempotency.service';
import {
  EvidencePageDto,
  EvidenceQueryDto,
  PushedEvidenceDto,
  PushEvidenceDto,
} from './dto/evidence.dto';
import { EvidenceService } from './evidence.service';

@ApiTags('evidence')
@OrganizationController()
export class EvidenceController {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get('teams/:teamId/evidence')
  @RequirePermission('assessments:read')
  @ApiParam({ name: 'teamId', format: 'uuid' })
  @ApiOperation({
    summary: "A team's CI evidence, newest first.",
    description: '`fresh=true`: only results that count now; `criterionKey` narrows to one.',
  })
  @ApiOkResponse({ type: EvidencePageDto })
  list(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @Query() query: EvidenceQueryDto,
  ) {
    return this.evidence.list(scope, teamId, query);
  }

  @Post('evidence')
  @RequirePermission('evidence:write')
  @ApiHeader(idempotencyKeyHeader('same batch'))
  @ApiOperation({
    summary: 'Push CI results (up to 500) from a script; the teams concerned are re-scored.',
    description:
      'For CI systems without webhooks: an API key with the `evidence:write` scope. Each item ' +
      'names a team and a criterion (its key or its CI `signal`) and whether it passed. All or ' +
      'nothing: one bad item answers 422 naming it, and nothing is stored.',
  })
  @ApiCreatedResponse({ type: PushedEvidenceDto })
  @ApiUnprocessableEntityResponse({
    description: 'An unknown team or criterion, a future observedAt, or a reused Idempotency-Key.',
  })
  async push(
    @Tenant() scope: TenantScope,
    @Body() body: PushEvidenceDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PushedEvidenceDto> {
    const key = this.idempotency.parseKey(idempotencyKey);
    const response = await this.evidence.push(scope, body, key);
    if (response.replayed) void reply.header('Idempotent-Replayed', 'true');
    return response.body;
  }
}
