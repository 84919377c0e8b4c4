import { Body, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  OrganizationController,
  RequirePermission,
  Tenant,
  TimeRangePageQueryDto,
  UuidParam,
} from '@app/common';
import type { TenantScope } from '@app/common';
import {
  CreateWebhookEndpointDto,
  DeliveryListQueryDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
  WebhookEndpointPageDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhook-endpoint.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

const ENDPOINT_PARAM = { name: 'endpointId', format: 'uuid' } as const;

@ApiTags('webhook-endpoints')
@OrganizationController('webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'Register an endpoint for signed event notifications; the secret is shown once.',
  })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto })
  create(@Tenant() scope: TenantScope, @Body() body: CreateWebhookEndpointDto) {
    return this.endpoints.create(scope, body);
  }

  @Get()
  @RequirePermission('webhooks:manage')
  @ApiOperation({ summary: 'Webhook endpoints, newest first (never their secrets).' })
  @ApiOkResponse({ type: WebhookEndpointPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: TimeRangePageQueryDto) {
    return this.endpoints.list(scope, query);
  }

  @Get(':endpointId')
  @RequirePermission('webhooks:manage')
  @ApiParam(ENDPOINT_PARAM)
  @ApiOperation({ summary: 'A webhook endpoint.' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  get(@Tenant() scope: TenantScope, @UuidParam('endpointId') endpointId: string) {
    return this.endpoints.get(scope, endpointId);
  }

  @Patch(':endpointId')
  @RequirePermission('webhooks:manage')
  @ApiParam(ENDPOINT_PARAM)
  @ApiOperation({ summary: 'Change the URL, events or description; re-enable after a 410.' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  update(
    @Tenant() scope: TenantScope,
    @UuidParam('endpointId') endpointId: string,
    @Body() body: UpdateWebhookEndpointDto,
  ) {
    return this.endpoints.update(scope, endpointId, body);
  }

  @Delete(':endpointId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('webhooks:manage')
  @ApiParam(ENDPOINT_PARAM)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log.' })
  @ApiNoContentResponse()
  remove(@Tenant() scope: TenantScope, @UuidParam('endpointId') endpointId: string) {
    return this.endpoints.remove(scope, endpointId);
  }

  @Post(':endpointId/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('webhooks:manage')
  @ApiParam(ENDPOINT_PARAM)
  @ApiOperation({ summary: 'A new signing secret, shown once; the old one stops at once.' })
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  rotateSecret(@Tenant() scope: TenantScope, @UuidParam('endpointId') endpointId: string) {
    return this.endpoints.rotateSecret(scope, endpointId);
  }

  @Get(':endpointId/deliveries')
  @RequirePermission('webhooks:manage')
  @ApiParam(ENDPOINT_PARAM)
  @ApiOperation({ summary: 'The delivery log: each message, its attempts and outcome.' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  deliveries(
    @Tenant() scope: TenantScope,
    @UuidParam('endpointId') endpointId: string,
    @Query() query: DeliveryListQueryDto,
  ) {
    return this.endpoints.deliveries(scope, endpointId, query);
  }

  @Post(':endpointId/deliveries/:deliveryId/redeliver')
  @RequirePermission('webhooks:manage')
  @ApiParam(ENDPOINT_PARAM)
  @ApiParam({ name: 'deliveryId', format: 'uuid' })
  @ApiOperation({ summary: 'Send a message again (same webhook-id), as a new delivery.' })
  @ApiCreatedResponse({ type: WebhookDeliveryDto })
  redeliver(
    @Tenant() scope: TenantScope,
    @UuidParam('endpointId') endpointId: string,
    @UuidParam('deliveryId') deliveryId: string,
  ) {
    return this.endpoints.redeliver(scope, endpointId, deliveryId);
  }
}
