import { Args, Context, Extensions, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Permission, problems, type TenantScope } from '@app/common';
import { AssessmentsService } from '../assessments/assessments.service';
import { EvidenceService } from '../evidence/evidence.service';
import { ProgressService } from '../progress/progress.service';
import { TeamScoresService } from '../team-scores/team-scores.service';
import { TeamsService } from '../teams/teams.service';
import type { GraphqlContext } from './graphql-context';
import { inOrganization, pageInOrganization } from './tenant-objects';
import { AssessmentHistoryArgs, EvidenceArgs, ProgressArgs } from './types/args';
import type { AssessmentDto } from '../assessments/dto/assessment.dto';
import type { TeamScoreDto } from '../team-scores/dto/team-score.dto';
import { Assessment, AssessmentPage } from './types/assessment.types';
import type { InOrganization } from './types/organization.types';
import { EvidencePage, ProgressSeries, Team, TeamMember, TeamScore } from './types/team.types';

/**
 * A team's reads. What a dashboard asks for every team of a page (current score, members, latest
 * assessment, recent progress, the first page of evidence and of assessments) goes through
 * per-request DataLoaders to batched service methods: one transaction for the whole page, not one
 * per team. A later page (a cursor) is one team's own read.
 */
@Resolver(() => Team)
export class TeamResolver {
  constructor(
    private readonly teams: TeamsService,
    private readonly assessmentsService: AssessmentsService,
    private readonly progressService: ProgressService,
    private readonly scores: TeamScoresService,
    private readonly evidenceService: EvidenceService,
  ) {}

  @ResolveField(() => [TeamMember], {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/members',
  })
  members(@Parent() team: Team, @Context() ctx: GraphqlContext) {
    return batched(
      ctx,
      team,
      'members',
      'teams:read',
      (scope, teamIds) => this.teams.membersOfTeams(scope, teamIds),
      () => [],
    );
  }

  @ResolveField(() => Assessment, {
    nullable: true,
    description: 'The newest submitted assessment (null: none yet). Batched across teams.',
  })
  latestAssessment(@Parent() team: Team, @Context() ctx: GraphqlContext) {
    const { organizationId } = team;
    return batched<(AssessmentDto & InOrganization) | null>(
      ctx,
      team,
      'latestAssessment',
      'assessments:read',
      async (scope, teamIds) => {
        const latest = await this.assessmentsService.latestSubmittedOfTeams(scope, teamIds);
        return mapValues(latest, (assessment) => inOrganization(organizationId, assessment));
      },
      () => null,
    );
  }

  @ResolveField(() => AssessmentPage, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/assessments',
  })
  async assessments(
    @Parent() team: Team,
    @Args() args: AssessmentHistoryArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const { organizationId } = team;
    if (args.cursor !== undefined) {
      const scope = await ctx.access.tenant(organizationId, 'assessments:read');
      return pageInOrganization(
        organizationId,
        await this.assessmentsService.history(scope, team.id, args),
      );
    }
    return batched(
      ctx,
      team,
      `assessments:${JSON.stringify(args)}`,
      'assessments:read',
      async (scope, teamIds) => {
        const pages = await this.assessmentsService.firstHistoryPagesOfTeams(scope, teamIds, args);
        return mapValues(pages, (page) => pageInOrganization(organizationId, page));
      },
      () => ({ items: [], nextCursor: null }),
    );
  }

  @ResolveField(() => ProgressSeries, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/progress. With `last`: batched across teams.',
  })
  @Extensions({ defaultLimit: 500 })
  async progress(@Parent() team: Team, @Args() args: ProgressArgs, @Context() ctx: GraphqlContext) {
    const { organizationId } = team;
    if (args.last === undefined) {
      const scope = await ctx.access.tenant(organizationId, 'reports:read');
      return this.progressService.series(scope, team.id, args);
    }
    if (args.cursor !== undefined || args.limit !== undefined || args.from || args.to) {
      throw problems.validation([
        { field: 'last', reasons: ['last cannot be combined with cursor, limit, from or to'] },
      ]);
    }
    const { last, dimension } = args;
    return batched<ProgressSeries>(
      ctx,
      team,
      `progress:${last}:${dimension ?? ''}`,
      'reports:read',
      (scope, teamIds) => this.progressService.lastPointsOfTeams(scope, teamIds, last, dimension),
      (teamId) => ({ teamId, items: [], nextCursor: null }),
    );
  }

  @ResolveField(() => TeamScore, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/score (null: no assessment or CI evidence yet).',
  })
  currentScore(@Parent() team: Team, @Context() ctx: GraphqlContext) {
    return batched<TeamScoreDto | null>(
      ctx,
      team,
      'currentScore',
      'assessments:read',
      (scope, teamIds) => this.scores.currentOfTeams(scope, teamIds),
      () => null,
    );
  }

  @ResolveField(() => EvidencePage, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/evidence',
  })
  async evidence(@Parent() team: Team, @Args() args: EvidenceArgs, @Context() ctx: GraphqlContext) {
    if (args.cursor !== undefined) {
      const scope = await ctx.access.tenant(team.organizationId, 'assessments:read');
      return this.evidenceService.list(scope, team.id, args);
    }
    return batched(
      ctx,
      team,
      `evidence:${JSON.stringify(args)}`,
      'assessments:read',
      (scope, teamIds) => this.evidenceService.firstPagesOfTeams(scope, teamIds, args),
      () => ({ items: [], nextCursor: null }),
    );
  }
}

/**
 * The team's value through the request's DataLoader for `name` in the team's organization (the
 * name carries the field's arguments): every team asking in the same tick is answered by one
 * `load`, under one scope of `permission`; a team `load` leaves out gets `absent`.
 */
function batched<V>(
  ctx: GraphqlContext,
  team: Team,
  name: string,
  permission: Permission,
  load: (scope: TenantScope, teamIds: readonly string[]) => Promise<Map<string, V>>,
  absent: (teamId: string) => V,
): Promise<V> {
  const { organizationId } = team;
  return ctx.loaders
    .get<string, V>(`${name}:${organizationId}`, async (teamIds) => {
      const scope = await ctx.access.tenant(organizationId, permission);
      const values = await load(scope, teamIds);
      return teamIds.map((teamId) => values.get(teamId) ?? absent(teamId));
    })
    .load(team.id);
}

function mapValues<K, V, W>(map: Map<K, V>, mapValue: (value: V) => W): Map<K, W> {
  return new Map([...map].map(([key, value]) => [key, mapValue(value)]));
}
