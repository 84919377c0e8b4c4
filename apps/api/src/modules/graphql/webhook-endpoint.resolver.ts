import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { WebhookEndpointsService } from '../webhook-endpoints/webhook-endpoints.service';
import type { GraphqlContext } from './graphql-context';
import { IdArg } from './id-arg';
import { inOrganization, pageInOrganization } from './tenant-objects';
import { WebhookDeliveryArgs } from './types/args';
import { Organization } from './types/organization.types';
import { PageArgs } from './types/page';
import {
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointPage,
} from './types/webhook-endpoint.types';

@Resolver(() => Organization)
export class OrganizationWebhookEndpointsResolver {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @ResolveField(() => WebhookEndpointPage, {
    nullable: true,
    description: 'REST: GET .../webhook-endpoints',
  })
  async webhookEndpoints(
    @Parent() org: Organization,
    @Args() args: PageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'webhooks:manage');
    return pageInOrganization(org.id, await this.endpoints.list(scope, args));
  }

  @ResolveField(() => WebhookEndpoint, {
    nullable: true,
    description: 'REST: GET .../webhook-endpoints/{endpointId}',
  })
  async webhookEndpoint(
    @Parent() org: Organization,
    @IdArg('Webhook endpoint') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'webhooks:manage');
    return inOrganization(org.id, await this.endpoints.get(scope, id));
  }
}

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @ResolveField(() => WebhookDeliveryPage, {
    nullable: true,
    description: 'REST: GET .../webhook-endpoints/{endpointId}/deliveries',
  })
  async deliveries(
    @Parent() endpoint: WebhookEndpoint,
    @Args() args: WebhookDeliveryArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(endpoint.organizationId, 'webhooks:manage');
    return this.endpoints.deliveries(scope, endpoint.id, args);
  }
}
