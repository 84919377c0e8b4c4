import { Body, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
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
import { ApiKeysService } from './api-keys.service';
import { ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@OrganizationController('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @RequirePermission('api-keys:manage')
  @ApiOperation({
    summary: 'Create an API key; the key is shown in this answer only.',
    description:
      'The key authenticates as `Authorization: Bearer <key>` on this organization only, and only ' +
      'for routes its scopes allow.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Tenant() scope: TenantScope, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(scope, body);
  }

  @Get()
  @RequirePermission('api-keys:manage')
  @ApiOperation({ summary: 'Keys not revoked, newest first: prefix and last use, never secrets.' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: TimeRangePageQueryDto) {
    return this.apiKeys.list(scope, query);
  }

  @Delete(':keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('api-keys:manage')
  @ApiOperation({ summary: 'Revoke a key; it answers 401 from then on.' })
  @ApiNoContentResponse()
  revoke(@Tenant() scope: TenantScope, @UuidParam('keyId') keyId: string): Promise<void> {
    return this.apiKeys.revoke(scope, keyId);
  }
}
