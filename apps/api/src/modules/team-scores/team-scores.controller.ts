import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OrganizationController, RequirePermission, UuidParam, Tenant } from '@app/common';
import type { TenantScope } from '@app/common';
import { TeamScoreDto } from './dto/team-score.dto';
import { TeamScoresService } from './team-scores.service';

@ApiTags('evidence')
@OrganizationController('teams/:teamId/score')
@ApiParam({ name: 'teamId', format: 'uuid' })
export class TeamScoresController {
  constructor(private readonly scores: TeamScoresService) {}

  @Get()
  @RequirePermission('assessments:read')
  @ApiOperation({
    summary: "A team's current score: latest submitted assessment plus fresh CI evidence.",
    description:
      'Per criterion, where its status comes from (`provenance`: answer, ci, conflict, expired, ' +
      'none) and the deciding CI result; and what changed the score last. Stored whenever ' +
      'an assessment is submitted, evidence arrives or evidence goes stale. 404 when the team ' +
      'has neither a submitted assessment nor CI evidence.',
  })
  @ApiOkResponse({ type: TeamScoreDto })
  current(@Tenant() scope: TenantScope, @UuidParam('teamId') teamId: string) {
    return this.scores.current(scope, teamId);
  }
}
