import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OrganizationController, RequirePermission, UuidParam, Tenant } from '@app/common';
import type { TenantScope } from '@app/common';
import { ProgressQueryDto, ProgressSeriesDto } from './dto/progress.dto';
import { ProgressService } from './progress.service';

@ApiTags('progress')
@OrganizationController('teams/:teamId/progress')
@ApiParam({ name: 'teamId', format: 'uuid' })
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @Get()
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: "A team's score history, oldest first: per dimension and overall.",
    description:
      'Every submitted assessment appends one point per dimension and one overall point ' +
      '(dimensionKey null). `dimension=overall` selects the overall series.',
  })
  @ApiOkResponse({ type: ProgressSeriesDto })
  series(
    @Tenant() scope: TenantScope,
    @UuidParam('teamId') teamId: string,
    @Query() query: ProgressQueryDto,
  ) {
    return this.progress.series(scope, teamId, query);
  }
}
