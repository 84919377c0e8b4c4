import { Args, Context, Extensions, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError, problems, roleOf } from '@app/common';
import { AssessmentsService } from '../assessments/assessments.service';
import { EvidenceService } from '../evidence/evidence.service';
import { ProgressService } from '../progress/progress.service';
import { TeamScoresService } from '../team-scores/team-scores.service';
import { TeamsService } from '../teams/teams.service';
import type { GraphqlContext } from './graphql-context';
import { inOrganization, pageInOrganization } from './tenant-objects';
import { AssessmentHistoryArgs, EvidenceArgs, ProgressArgs } from './types/args';
import type { AssessmentDto } from '../assessments/dto/assessment.dto';
import { Assessment, AssessmentPage } from './types/assessment.types';
import type { InOrganization } from './types/organization.types';
import { EvidencePage, ProgressSeries, Team, TeamMember, TeamScore } from './types/team.types';

/**
 * A team's reads. The two a dashboard asks for every team of a page (latest assessment, recent
 * progress) go through per-request DataLoaders to batched service methods: one query for the
 * whole page, not one per team.
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
  async members(@Parent() team: Team, @Context() ctx: GraphqlContext) {
    const scope = await ctx.access.tenant(team.organizationId, 'teams:read');
    return (await this.teams.listMembers(scope, team.id)).items;
  }

  @ResolveField(() => Assessment, {
    nullable: true,
    description: 'The newest submitted assessment (null: none yet). Batched across teams.',
  })
  latestAssessment(@Parent() team: Team, @Context() ctx: GraphqlContext) {
    const { organizationId } = team;
    return ctx.loaders
      .get<string, (AssessmentDto & InOrganization) | null>(
        `latestAssessment:${organizationId}`,
        async (teamIds) => {
          const scope = await ctx.access.tenant(organizationId, 'assessments:read');
          const latest = await this.assessmentsService.latestSubmittedOfTeams(scope, teamIds);
          return teamIds.map((id) => {
            const assessment = latest.get(id);
            return assessment ? inOrganization(organizationId, assessment) : null;
          });
        },
      )
      .load(team.id);
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
    const scope = await ctx.access.tenant(team.organizationId, 'assessments:read');
    return pageInOrganization(
      team.organizationId,
      await this.assessmentsService.history(scope, team.id, args),
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
    return ctx.loaders
      .get<string, ProgressSeries>(
        `progress:${organizationId}:${last}:${dimension ?? ''}`,
        async (teamIds) => {
          const scope = await ctx.access.tenant(organizationId, 'reports:read');
          const series = await this.progressService.lastPointsOfTeams(
            scope,
            teamIds,
            last,
            dimension,
          );
          return teamIds.map((id) => series.get(id) ?? { teamId: id, items: [], nextCursor: null });
        },
      )
      .load(team.id);
  }

  @ResolveField(() => TeamScore, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/score (null: no assessment or CI evidence yet).',
  })
  async currentScore(@Parent() team: Team, @Context() ctx: GraphqlContext) {
    const scope = await ctx.access.tenant(team.organizationId, 'assessments:read');
    try {
      return await this.scores.current(scope, team.id);
    } catch (error) {
      // With the caller's access proven (a member's role, or a key), not found means no score
      // yet; a refused membership stays an error.
      const proven = scope.actor.kind !== 'user' || roleOf(scope) !== null;
      if (proven && error instanceof DomainError && error.code === 'not_found') return null;
      throw error;
    }
  }

  @ResolveField(() => EvidencePage, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/evidence',
  })
  async evidence(@Parent() team: Team, @Args() args: EvidenceArgs, @Context() ctx: GraphqlContext) {
    const scope = await ctx.access.tenant(team.organizationId, 'assessments:read');
    return this.evidenceService.list(scope, team.id, args);
  }
}
