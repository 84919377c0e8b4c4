import {
  Body,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Inject,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  APP_CONFIG,
  OrganizationController,
  publicBaseUrl,
  RequirePermission,
  Tenant,
  TimeRangePageQueryDto,
  UuidParam,
} from '@app/common';
import type { AppConfig, TenantScope } from '@app/common';
import {
  AcceptedDeliveryDto,
  CreateIntegrationDto,
  DeliveryDto,
  DeliveryPageDto,
  DeliveryQueryDto,
  IntegrationDto,
  IntegrationPageDto,
  IntegrationWithSecretDto,
  UpdateIntegrationDto,
} from './dto/integration.dto';
import { IntegrationsService } from './integrations.service';

const INTEGRATION_PARAM = { name: 'integrationId', format: 'uuid' } as const;
const DELIVERY_PARAM = { name: 'deliveryId', format: 'uuid' } as const;

@ApiTags('integrations')
@OrganizationController('integrations')
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @RequirePermission('integrations:manage')
  @ApiOperation({
    summary: 'Connect a CI system; the signing secret is shown in this answer only.',
    description:
      'Configure the CI side with `ingestUrl` and `secret`. Runs map to teams by `repositories` ' +
      '(first matching glob) or `teamId`, and to criteria by name: a job, check or workflow ' +
      "named after a criterion's CI signal (`mlops:data-validation`, also followed by a space, " +
      '`/` or `(`), or by `rules`. Only runs on the default branch count unless `branches` says.',
  })
  @ApiCreatedResponse({ type: IntegrationWithSecretDto })
  @ApiUnprocessableEntityResponse({ description: 'Unknown team or criterion, or an unsafe rule.' })
  create(
    @Tenant() scope: TenantScope,
    @Body() body: CreateIntegrationDto,
    @Req() request: FastifyRequest,
  ): Promise<IntegrationWithSecretDto> {
    return this.integrations.create(scope, body, publicBaseUrl(this.config, request));
  }

  @Get()
  @RequirePermission('integrations:manage')
  @ApiOperation({ summary: 'Integrations, newest first (never their secrets).' })
  @ApiOkResponse({ type: IntegrationPageDto })
  list(
    @Tenant() scope: TenantScope,
    @Query() query: TimeRangePageQueryDto,
    @Req() request: FastifyRequest,
  ) {
    return this.integrations.list(scope, query, publicBaseUrl(this.config, request));
  }

  @Get(':integrationId')
  @RequirePermission('integrations:manage')
  @ApiParam(INTEGRATION_PARAM)
  @ApiOperation({ summary: 'One integration (never its secret).' })
  @ApiOkResponse({ type: IntegrationDto })
  get(
    @Tenant() scope: TenantScope,
    @UuidParam('integrationId') id: string,
    @Req() request: FastifyRequest,
  ) {
    return this.integrations.get(scope, id, publicBaseUrl(this.config, request));
  }

  @Patch(':integrationId')
  @RequirePermission('integrations:manage')
  @ApiParam(INTEGRATION_PARAM)
  @ApiOperation({ summary: "Change an integration's name, team, repositories, rules or branches." })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiUnprocessableEntityResponse({ description: 'Unknown team or criterion, or an unsafe rule.' })
  update(
    @Tenant() scope: TenantScope,
    @UuidParam('integrationId') id: string,
    @Body() body: UpdateIntegrationDto,
    @Req() request: FastifyRequest,
  ) {
    return this.integrations.update(scope, id, body, publicBaseUrl(this.config, request));
  }

  @Delete(':integrationId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('integrations:manage')
  @ApiParam(INTEGRATION_PARAM)
  @ApiOperation({
    summary: 'Disconnect: its webhooks answer 404 from now on; deliveries and evidence stay.',
  })
  @ApiNoContentResponse()
  remove(@Tenant() scope: TenantScope, @UuidParam('integrationId') id: string): Promise<void> {
    return this.integrations.remove(scope, id);
  }

  @Post(':integrationId/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @RequirePermission('integrations:manage')
  @ApiParam(INTEGRATION_PARAM)
  @ApiOperation({
    summary: 'A new signing secret, shown once; the previous one keeps working for 24 hours.',
  })
  @ApiOkResponse({ type: IntegrationWithSecretDto })
  rotateSecret(
    @Tenant() scope: TenantScope,
    @UuidParam('integrationId') id: string,
    @Req() request: FastifyRequest,
  ): Promise<IntegrationWithSecretDto> {
    return this.integrations.rotateSecret(scope, id, publicBaseUrl(this.config, request));
  }

  @Get(':integrationId/deliveries')
  @RequirePermission('integrations:manage')
  @ApiParam(INTEGRATION_PARAM)
  @ApiOperation({ summary: 'Webhook deliveries received, newest first; filter by status.' })
  @ApiOkResponse({ type: DeliveryPageDto })
  deliveries(
    @Tenant() scope: TenantScope,
    @UuidParam('integrationId') id: string,
    @Query() query: DeliveryQueryDto,
  ) {
    return this.integrations.deliveries(scope, id, query);
  }

  @Get(':integrationId/deliveries/:deliveryId')
  @RequirePermission('integrations:manage')
  @ApiParam(INTEGRATION_PARAM)
  @ApiParam(DELIVERY_PARAM)
  @ApiOperation({
    summary: 'One delivery: as received, the normalised runs, the evidence or why none.',
  })
  @ApiOkResponse({ type: DeliveryDto })
  delivery(
    @Tenant() scope: TenantScope,
    @UuidParam('integrationId') id: string,
    @UuidParam('deliveryId') deliveryId: string,
  ) {
    return this.integrations.delivery(scope, id, deliveryId);
  }

  @Post(':integrationId/deliveries/:deliveryId/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequirePermission('integrations:manage')
  @ApiParam(INTEGRATION_PARAM)
  @ApiParam(DELIVERY_PARAM)
  @ApiOperation({
    summary: 'Process a delivery again (e.g. after changing the mapping, or a dead one).',
    description: 'Replaces the evidence it produced before; the teams concerned are re-scored.',
  })
  @ApiAcceptedResponse({ type: AcceptedDeliveryDto })
  redeliver(
    @Tenant() scope: TenantScope,
    @UuidParam('integrationId') id: string,
    @UuidParam('deliveryId') deliveryId: string,
  ) {
    return this.integrations.redeliver(scope, id, deliveryId);
  }
}
