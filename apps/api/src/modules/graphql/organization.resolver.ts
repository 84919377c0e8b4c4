import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AssessmentsService } from '../assessments/assessments.service';
import { AuditService } from '../audit/audit.service';
import { IntegrationsService } from '../integrations/integrations.service';
import { MaturityModelsService } from '../maturity-models/maturity-models.service';
import { InvitationsService } from '../memberships/invitations.service';
import { MembersService } from '../memberships/members.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { TeamsService } from '../teams/teams.service';
import type { GraphqlContext } from './graphql-context';
import { IdArg } from './id-arg';
import { inOrganization, pageInOrganization } from './tenant-objects';
import { AuditArgs, ModelsPageArgs } from './types/args';
import { Assessment } from './types/assessment.types';
import { Delivery, Integration, IntegrationPage } from './types/integration.types';
import { MaturityModel, MaturityModelPage, ModelVersion } from './types/maturity-model.types';
import {
  ApiKeyPage,
  AuditEventPage,
  InvitationPage,
  MemberPage,
  Organization,
} from './types/organization.types';
import { PageArgs } from './types/page';
import { Team, TeamPage } from './types/team.types';

/**
 * The tenant root: `organization(id:)` and everything read under /v1/organizations/{orgId}.
 * Every field builds its own scope with the permission its REST route requires and calls the
 * same service as the controller (the pattern to copy for a new read: see the README).
 */
@Resolver(() => Organization)
export class OrganizationResolver {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly teamsService: TeamsService,
    private readonly membersService: MembersService,
    private readonly invitationsService: InvitationsService,
    private readonly apiKeysService: ApiKeysService,
    private readonly audit: AuditService,
    private readonly models: MaturityModelsService,
    private readonly assessments: AssessmentsService,
    private readonly integrationsService: IntegrationsService,
  ) {}

  @Query(() => Organization, {
    nullable: true,
    description:
      'REST: GET /v1/organizations/{orgId}. An organization of the caller; a non-member gets ' +
      'the not-found of a missing id.',
  })
  async organization(
    @Args('id', { type: () => ID }) id: string,
    @Context() ctx: GraphqlContext,
  ): Promise<Organization> {
    return this.organizations.get(await ctx.access.tenant(id, 'organization:read'));
  }

  @ResolveField(() => TeamPage, { nullable: true, description: 'REST: GET .../teams' })
  async teams(@Parent() org: Organization, @Args() args: PageArgs, @Context() ctx: GraphqlContext) {
    const scope = await ctx.access.tenant(org.id, 'teams:read');
    return pageInOrganization(org.id, await this.teamsService.list(scope, args));
  }

  @ResolveField(() => Team, { nullable: true, description: 'REST: GET .../teams/{teamId}' })
  async team(
    @Parent() org: Organization,
    @IdArg('Team') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'teams:read');
    return inOrganization(org.id, await this.teamsService.get(scope, id));
  }

  @ResolveField(() => MemberPage, { nullable: true, description: 'REST: GET .../members' })
  async members(
    @Parent() org: Organization,
    @Args() args: PageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    return this.membersService.list(await ctx.access.tenant(org.id, 'members:read'), args);
  }

  @ResolveField(() => InvitationPage, {
    nullable: true,
    description: 'REST: GET .../invitations (pending).',
  })
  async invitations(
    @Parent() org: Organization,
    @Args() args: PageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    return this.invitationsService.listPending(
      await ctx.access.tenant(org.id, 'invitations:manage'),
      args,
    );
  }

  @ResolveField(() => ApiKeyPage, { nullable: true, description: 'REST: GET .../api-keys' })
  async apiKeys(
    @Parent() org: Organization,
    @Args() args: PageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    return this.apiKeysService.list(await ctx.access.tenant(org.id, 'api-keys:manage'), args);
  }

  @ResolveField(() => AuditEventPage, { nullable: true, description: 'REST: GET .../audit-events' })
  async auditEvents(
    @Parent() org: Organization,
    @Args() args: AuditArgs,
    @Context() ctx: GraphqlContext,
  ) {
    return this.audit.list(await ctx.access.tenant(org.id, 'audit:read'), args);
  }

  @ResolveField(() => MaturityModelPage, {
    nullable: true,
    description: 'REST: GET .../maturity-models',
  })
  async maturityModels(
    @Parent() org: Organization,
    @Args() args: ModelsPageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'models:read');
    return pageInOrganization(org.id, await this.models.list(scope, args));
  }

  @ResolveField(() => MaturityModel, {
    nullable: true,
    description: 'REST: GET .../maturity-models/{modelId}',
  })
  async maturityModel(
    @Parent() org: Organization,
    @IdArg('Maturity model') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'models:read');
    return inOrganization(org.id, await this.models.get(scope, id));
  }

  @ResolveField(() => ModelVersion, {
    nullable: true,
    description: 'REST: GET .../maturity-models/{modelId}/versions/{version}',
  })
  async modelVersion(
    @Parent() org: Organization,
    @IdArg('Maturity model', 'modelId') modelId: string,
    @Args('version', { type: () => Int }) version: number,
    @Context() ctx: GraphqlContext,
  ) {
    return this.models.getVersion(await ctx.access.tenant(org.id, 'models:read'), modelId, version);
  }

  @ResolveField(() => Assessment, {
    nullable: true,
    description: 'REST: GET .../assessments/{assessmentId}',
  })
  async assessment(
    @Parent() org: Organization,
    @IdArg('Assessment') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'assessments:read');
    return inOrganization(org.id, await this.assessments.get(scope, id));
  }

  @ResolveField(() => IntegrationPage, {
    nullable: true,
    description: 'REST: GET .../integrations',
  })
  async integrations(
    @Parent() org: Organization,
    @Args() args: PageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'integrations:manage');
    return pageInOrganization(
      org.id,
      await this.integrationsService.list(scope, args, ctx.access.baseUrl),
    );
  }

  @ResolveField(() => Integration, {
    nullable: true,
    description: 'REST: GET .../integrations/{integrationId}',
  })
  async integration(
    @Parent() org: Organization,
    @IdArg('Integration') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'integrations:manage');
    return inOrganization(
      org.id,
      await this.integrationsService.get(scope, id, ctx.access.baseUrl),
    );
  }

  @ResolveField(() => Delivery, {
    nullable: true,
    description: 'REST: GET .../integrations/{integrationId}/deliveries/{deliveryId}',
  })
  async delivery(
    @Parent() org: Organization,
    @IdArg('Integration', 'integrationId') integrationId: string,
    @IdArg('Delivery') id: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'integrations:manage');
    return this.integrationsService.delivery(scope, integrationId, id);
  }
}
