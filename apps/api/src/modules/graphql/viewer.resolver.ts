import { Context, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { OrganizationsService } from '../organizations/organizations.service';
import { UsersService } from '../users/users.service';
import type { GraphqlContext } from './graphql-context';
import { Membership, Viewer } from './types/organization.types';

/** The signed-in user and the organizations they belong to (REST: GET /v1/me, /v1/organizations). */
@Resolver(() => Viewer)
export class ViewerResolver {
  constructor(
    private readonly users: UsersService,
    private readonly organizationsService: OrganizationsService,
  ) {}

  @Query(() => Viewer, {
    nullable: true,
    description: 'REST: GET /v1/me. The signed-in user (not an API key).',
  })
  async viewer(@Context() ctx: GraphqlContext): Promise<Viewer> {
    return this.users.me(ctx.access.user());
  }

  @ResolveField(() => [Membership], { description: 'REST: GET /v1/organizations' })
  async organizations(@Context() ctx: GraphqlContext): Promise<Membership[]> {
    const mine = await this.organizationsService.listMine(ctx.access.user());
    return mine.map(({ role, ...organization }) => ({ role, organization }));
  }
}
