import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RoadmapsService } from '../roadmaps/roadmaps.service';
import type { GraphqlContext } from './graphql-context';
import { IdArg } from './id-arg';
import { inOrganization } from './tenant-objects';
import { PageArgs } from './types/page';
import { Roadmap, RoadmapItemWithHistory, RoadmapSummaryPage } from './types/roadmap.types';
import { Team } from './types/team.types';

@Resolver(() => Team)
export class TeamRoadmapsResolver {
  constructor(private readonly roadmapsService: RoadmapsService) {}

  @ResolveField(() => RoadmapSummaryPage, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/roadmaps (newest first, without items).',
  })
  async roadmaps(@Parent() team: Team, @Args() args: PageArgs, @Context() ctx: GraphqlContext) {
    const scope = await ctx.access.tenant(team.organizationId, 'roadmaps:read');
    return this.roadmapsService.list(scope, team.id, args);
  }

  @ResolveField(() => Roadmap, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/roadmaps/{roadmapId}',
  })
  async roadmap(
    @Parent() team: Team,
    @IdArg('Roadmap') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(team.organizationId, 'roadmaps:read');
    return inOrganization(team.organizationId, await this.roadmapsService.get(scope, team.id, id));
  }
}

@Resolver(() => Roadmap)
export class RoadmapResolver {
  constructor(private readonly roadmaps: RoadmapsService) {}

  @ResolveField(() => RoadmapItemWithHistory, {
    nullable: true,
    description: 'REST: GET .../teams/{teamId}/roadmaps/{roadmapId}/items/{itemId}, with history.',
  })
  async item(
    @Parent() roadmap: Roadmap,
    @IdArg('Roadmap item') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(roadmap.organizationId, 'roadmaps:read');
    return this.roadmaps.getItem(scope, roadmap.teamId, roadmap.id, id);
  }
}
