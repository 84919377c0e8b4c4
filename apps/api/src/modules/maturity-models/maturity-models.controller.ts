import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNotFoundResponse,
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
import {
  CloneModelDto,
  MaturityModelDto,
  MaturityModelPageDto,
  ModelsPageQueryDto,
  ModelVersionDiffDto,
  ModelVersionDto,
  OPERATION_TYPES,
  UpdateDraftDto,
} from './dto/maturity-model.dto';
import { MaturityModelsService } from './maturity-models.service';
import { VersionParam } from './version-param';
import { ifMatchHeader, withEntityTag } from '../idempotency/etag';

const MODEL_PARAM = { name: 'modelId', format: 'uuid' } as const;
const VERSION_PARAM = { name: 'version', type: Number, description: 'Version number (1, 2, ...).' };
const IF_MATCH = ifMatchHeader('The draft');

@ApiTags('maturity-models')
@ApiBearerAuth()
@Controller('v1/maturity-models')
export class MaturityModelCatalogueController {
  constructor(private readonly models: MaturityModelsService) {}

  @Get()
  @ApiOperation({ summary: 'The built-in models every organization can use, newest first.' })
  @ApiOkResponse({ type: MaturityModelPageDto })
  list(@Query() query: ModelsPageQueryDto) {
    return this.models.listCatalogue(query);
  }

  @Get(':modelId')
  @ApiParam(MODEL_PARAM)
  @ApiOperation({ summary: 'A built-in model and its versions.' })
  @ApiOkResponse({ type: MaturityModelDto })
  @ApiNotFoundResponse()
  get(@UuidParam('modelId') modelId: string) {
    return this.models.getCatalogueModel(modelId);
  }

  @Get(':modelId/versions/:version')
  @ApiParam(MODEL_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiOperation({ summary: 'The full tree of a built-in version: dimensions, levels, criteria.' })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiNotFoundResponse()
  async getVersion(
    @UuidParam('modelId') modelId: string,
    @VersionParam('version') version: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.models.getCatalogueVersion(modelId, version));
  }
}

@ApiTags('maturity-models')
@ApiExtraModels(...OPERATION_TYPES)
@OrganizationController('maturity-models')
export class MaturityModelsController {
  constructor(private readonly models: MaturityModelsService) {}

  @Get()
  @RequirePermission('models:read')
  @ApiOperation({ summary: "Built-in models and the organization's own, newest first." })
  @ApiOkResponse({ type: MaturityModelPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: ModelsPageQueryDto) {
    return this.models.list(scope, query);
  }

  @Post()
  @RequirePermission('models:write')
  @ApiOperation({
    summary: 'Clone a published version into a new organization model with a draft version 1.',
  })
  @ApiCreatedResponse({
    type: MaturityModelDto,
    description: "The new model; the ETag header is its draft's (If-Match for PATCH).",
  })
  @ApiUnprocessableEntityResponse({ description: 'The source version is a draft.' })
  async clone(
    @Tenant() scope: TenantScope,
    @Body() body: CloneModelDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const model = await this.models.clone(scope, body);
    if (model.draftEtag) void reply.header('ETag', model.draftEtag);
    return model;
  }

  @Get(':modelId')
  @RequirePermission('models:read')
  @ApiParam(MODEL_PARAM)
  @ApiOperation({ summary: 'A model (built-in or own) and its versions.' })
  @ApiOkResponse({ type: MaturityModelDto })
  get(@Tenant() scope: TenantScope, @UuidParam('modelId') modelId: string) {
    return this.models.get(scope, modelId);
  }

  @Patch(':modelId')
  @RequirePermission('models:write')
  @ApiParam(MODEL_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: 'Edit the draft: rename, add/remove/update dimensions and criteria, weights, texts.',
    description:
      'Operations apply in order to a copy of the draft; the result must be a valid model or ' +
      'nothing changes (422 listing every problem). Published versions never change: without a ' +
      'draft this answers 409; start one with POST .../maturity-models/{modelId}/draft.',
  })
  @ApiOkResponse({ type: ModelVersionDto, description: 'The draft; new ETag header.' })
  @ApiConflictResponse({ description: 'No draft (published versions never change), or built-in.' })
  @ApiPreconditionFailedResponse({ description: 'If-Match does not match the draft.' })
  @ApiUnprocessableEntityResponse({ description: 'The edited model is not valid.' })
  async update(
    @Tenant() scope: TenantScope,
    @UuidParam('modelId') modelId: string,
    @Body() body: UpdateDraftDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.models.updateDraft(scope, modelId, body, ifMatch));
  }

  @Post(':modelId/draft')
  @RequirePermission('models:write')
  @ApiParam(MODEL_PARAM)
  @ApiOperation({ summary: 'Start the next draft as a copy of the latest published version.' })
  @ApiCreatedResponse({ type: ModelVersionDto })
  @ApiConflictResponse({ description: 'A draft exists already, or the model is built-in.' })
  async startDraft(
    @Tenant() scope: TenantScope,
    @UuidParam('modelId') modelId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.models.startDraft(scope, modelId));
  }

  @Post(':modelId/publish')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('models:write')
  @ApiParam(MODEL_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Freeze the draft as a published version (it never changes again).' })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiConflictResponse({ description: 'Nothing to publish (no draft, or no change).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match does not match the draft.' })
  async publish(
    @Tenant() scope: TenantScope,
    @UuidParam('modelId') modelId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.models.publish(scope, modelId, ifMatch));
  }

  @Get(':modelId/versions/:version')
  @RequirePermission('models:read')
  @ApiParam(MODEL_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiOperation({ summary: 'The full tree of a version (built-in or own, draft or published).' })
  @ApiOkResponse({ type: ModelVersionDto })
  async getVersion(
    @Tenant() scope: TenantScope,
    @UuidParam('modelId') modelId: string,
    @VersionParam('version') version: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.models.getVersion(scope, modelId, version));
  }

  @Get(':modelId/versions/:version/diff/:otherVersion')
  @RequirePermission('models:read')
  @ApiParam(MODEL_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiParam({ ...VERSION_PARAM, name: 'otherVersion' })
  @ApiOperation({ summary: 'What changed from `version` to `otherVersion`.' })
  @ApiOkResponse({ type: ModelVersionDiffDto })
  diff(
    @Tenant() scope: TenantScope,
    @UuidParam('modelId') modelId: string,
    @VersionParam('version') version: number,
    @VersionParam('otherVersion') otherVersion: number,
  ) {
    return this.models.diff(scope, modelId, version, otherVersion);
  }
}
