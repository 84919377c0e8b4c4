import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { GraphqlContext } from './graphql-context';
import { IdArg } from './id-arg';
import { inOrganization, pageInOrganization } from './tenant-objects';
import { CampaignListArgs, CursorPageArgs } from './types/args';
import {
  Campaign,
  CampaignPage,
  CampaignParticipantPage,
  CampaignResponse,
  CampaignResults,
} from './types/campaign.types';
import { Organization } from './types/organization.types';

@Resolver(() => Organization)
export class OrganizationCampaignsResolver {
  constructor(private readonly campaignsService: CampaignsService) {}

  @ResolveField(() => CampaignPage, { nullable: true, description: 'REST: GET .../campaigns' })
  async campaigns(
    @Parent() org: Organization,
    @Args() args: CampaignListArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'campaigns:read');
    return pageInOrganization(org.id, await this.campaignsService.list(scope, args));
  }

  @ResolveField(() => Campaign, {
    nullable: true,
    description: 'REST: GET .../campaigns/{campaignId}',
  })
  async campaign(
    @Parent() org: Organization,
    @IdArg('Campaign') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'campaigns:read');
    return inOrganization(org.id, await this.campaignsService.get(scope, id));
  }
}

@Resolver(() => Campaign)
export class CampaignResolver {
  constructor(private readonly campaigns: CampaignsService) {}

  @ResolveField(() => CampaignResults, {
    nullable: true,
    description:
      'REST: GET .../campaigns/{campaignId}/results. A campaign that is not closed yet: a ' +
      'conflict error.',
  })
  async results(@Parent() campaign: Campaign, @Context() ctx: GraphqlContext) {
    const scope = await ctx.access.tenant(campaign.organizationId, 'campaigns:read');
    return this.campaigns.results(scope, campaign.id);
  }

  @ResolveField(() => CampaignParticipantPage, {
    nullable: true,
    description: 'REST: GET .../campaigns/{campaignId}/participants',
  })
  async participants(
    @Parent() campaign: Campaign,
    @Args() args: CursorPageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(campaign.organizationId, 'campaigns:read');
    return this.campaigns.participants(scope, campaign.id, args);
  }

  @ResolveField(() => CampaignResponse, {
    nullable: true,
    description:
      "REST: GET .../campaigns/{campaignId}/my-response. The caller's own response (not found " +
      'when they do not take part).',
  })
  async myResponse(@Parent() campaign: Campaign, @Context() ctx: GraphqlContext) {
    const scope = await ctx.access.tenant(campaign.organizationId, 'campaigns:respond');
    return this.campaigns.myResponse(scope, campaign.id);
  }
}
