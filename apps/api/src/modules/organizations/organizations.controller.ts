import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OrganizationController, RequirePermission, Tenant, SignedInUser } from '@app/common';
import type { TenantScope, UserScope } from '@app/common';
import {
  CreateOrganizationDto,
  OrganizationDto,
  OrganizationListDto,
  UpdateOrganizationDto,
} from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v1/organizations')
export class OrganizationsCollectionController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an organization; the caller becomes its owner.' })
  @ApiCreatedResponse({ type: OrganizationDto })
  @ApiConflictResponse({ description: 'The slug is taken.' })
  create(
    @SignedInUser() caller: UserScope,
    @Body() body: CreateOrganizationDto,
  ): Promise<OrganizationDto> {
    return this.organizations.create(caller, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's organizations, with the caller's role in each." })
  @ApiOkResponse({ type: OrganizationListDto })
  async listMine(@SignedInUser() caller: UserScope): Promise<OrganizationListDto> {
    // A user belongs to few organizations: one page always holds them all.
    return { items: await this.organizations.listMine(caller), nextCursor: null };
  }
}

@ApiTags('organizations')
@OrganizationController()
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @RequirePermission('organization:read')
  @ApiOperation({ summary: 'One organization.' })
  @ApiOkResponse({ type: OrganizationDto })
  get(@Tenant() scope: TenantScope): Promise<OrganizationDto> {
    return this.organizations.get(scope);
  }

  @Patch()
  @RequirePermission('organization:update')
  @ApiOperation({ summary: 'Rename an organization or change its slug.' })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiConflictResponse({ description: 'The slug is taken.' })
  update(
    @Tenant() scope: TenantScope,
    @Body() body: UpdateOrganizationDto,
  ): Promise<OrganizationDto> {
    return this.organizations.update(scope, body);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('organization:delete')
  @ApiOperation({
    summary: 'Delete an organization (owners). Its history is kept; it stops answering.',
  })
  @ApiNoContentResponse()
  remove(@Tenant() scope: TenantScope): Promise<void> {
    return this.organizations.remove(scope);
  }
}
