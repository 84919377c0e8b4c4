import {
  Body,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OrganizationController, RequirePermission, UuidParam, Tenant } from '@app/common';
import type { TenantScope } from '@app/common';
import { IdempotencyService } from '../idempotency/idempotency.service';
import {
  AssessmentDiffDto,
  AssessmentDiffQueryDto,
  AssessmentDto,
  AssessmentHistoryQueryDto,
  AssessmentPageDto,
  CreateAssessmentDto,
  PutAnswersDto,
} from './dto/assessment.dto';
import { AssessmentsService } from './assessments.service';
import { idempotencyKeyHeader, ifMatchHeader, withEntityTag } from '../idempotency/etag';

const TEAM_PARAM = { name: 'teamId', format: 'uuid' } as const;
const ASSESSMENT_PARAM = { name: 'assessmentId', format: 'uuid' } as const;
const IF_MATCH = ifMatchHeader('The assessment');

@ApiTags('assessments')
@OrganizationController()
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post('teams/:teamId/assessments')
  @RequirePermission('assessments:write')
  @ApiParam(TEAM_PARAM)
  @ApiHeader(idempotencyKeyHeader('same id'))
  @ApiOperation({
    summary: 'Start a draft assessment of a team against a published model version.',
  })
  @ApiCreatedResponse({ type: AssessmentDto, description: 'ETag header set.' })
  @ApiUnprocessableEntityResponse({
    description: 'Draft model version, bad target levels, or a reused Idempotency-Key.',
  })
  async create(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @Body() body: CreateAssessmentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const key = this.idempotency.parseKey(idempotencyKey);
    const response = await this.assessments.create(scope, teamId, body, key);
    if (response.replayed) void reply.header('Idempotent-Replayed', 'true');
    return withEntityTag(reply, response.body);
  }

  @Get('teams/:teamId/assessments')
  @RequirePermission('assessments:read')
  @ApiParam(TEAM_PARAM)
  @ApiOperation({ summary: "A team's assessment history, newest first." })
  @ApiOkResponse({ type: AssessmentPageDto })
  history(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @Query() query: AssessmentHistoryQueryDto,
  ) {
    return this.assessments.history(scope, teamId, query);
  }

  @Get('assessments/:assessmentId')
  @RequirePermission('assessments:read')
  @ApiParam(ASSESSMENT_PARAM)
  @ApiOperation({ summary: 'An assessment with its answers and (once submitted) its result.' })
  @ApiOkResponse({ type: AssessmentDto, description: 'ETag header set.' })
  async get(
    @Tenant() scope: TenantScope,
    @UuidParam('assessmentId') assessmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.assessments.get(scope, assessmentId));
  }

  @Put('assessments/:assessmentId/answers')
  @RequirePermission('assessments:write')
  @ApiParam(ASSESSMENT_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: 'Upsert answers of a draft (each listed criterion replaced; others kept).',
  })
  @ApiOkResponse({ type: AssessmentDto, description: 'New ETag header.' })
  @ApiConflictResponse({ description: 'The assessment is submitted.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown or repeated criterion keys (named).' })
  async putAnswers(
    @Tenant() scope: TenantScope,
    @UuidParam('assessmentId') assessmentId: string,
    @Body() body: PutAnswersDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(
      reply,
      await this.assessments.putAnswers(scope, assessmentId, body, ifMatch),
    );
  }

  @Post('assessments/:assessmentId/submit')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('assessments:write')
  @ApiParam(ASSESSMENT_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: 'Score and freeze the assessment; appends progress snapshots.',
  })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiConflictResponse({ description: 'Already submitted.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  async submit(
    @Tenant() scope: TenantScope,
    @UuidParam('assessmentId') assessmentId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.assessments.submit(scope, assessmentId, ifMatch));
  }

  @Delete('assessments/:assessmentId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('assessments:write')
  @ApiParam(ASSESSMENT_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Delete a draft assessment (submitted ones are history: 409).' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The assessment is submitted.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  remove(
    @Tenant() scope: TenantScope,
    @UuidParam('assessmentId') assessmentId: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    return this.assessments.remove(scope, assessmentId, ifMatch);
  }

  @Get('assessments/:assessmentId/diff')
  @RequirePermission('assessments:read')
  @ApiParam(ASSESSMENT_PARAM)
  @ApiOperation({
    summary: 'What changed from `against` (before) to this assessment, and why scores moved.',
  })
  @ApiOkResponse({ type: AssessmentDiffDto })
  @ApiConflictResponse({ description: 'One of them is a draft.' })
  @ApiUnprocessableEntityResponse({ description: 'Different teams.' })
  diff(
    @Tenant() scope: TenantScope,
    @UuidParam('assessmentId') assessmentId: string,
    @Query() query: AssessmentDiffQueryDto,
  ) {
    return this.assessments.diff(scope, assessmentId, query.against.toLowerCase());
  }
}
