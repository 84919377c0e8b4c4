import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { IntegrationsService } from '../integrations/integrations.service';
import type { GraphqlContext } from './graphql-context';
import { DeliveryArgs } from './types/args';
import { DeliveryPage, Integration } from './types/integration.types';

@Resolver(() => Integration)
export class IntegrationResolver {
  constructor(private readonly integrations: IntegrationsService) {}

  @ResolveField(() => DeliveryPage, {
    nullable: true,
    description: 'REST: GET .../integrations/{integrationId}/deliveries',
  })
  async deliveries(
    @Parent() integration: Integration,
    @Args() args: DeliveryArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(integration.organizationId, 'integrations:manage');
    return this.integrations.deliveries(scope, integration.id, args);
  }
}
