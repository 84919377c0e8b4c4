import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrganizationController, RequirePermission, Tenant } from '@app/common';
import type { TenantScope } from '@app/common';
import { AuditService } from './audit.service';
import { AuditEventPageDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@OrganizationController('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({ summary: 'Who did what to which record, newest first (owners and admins).' })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Tenant() scope: TenantScope, @Query() query: AuditQueryDto) {
    return this.audit.list(scope, query);
  }
}
