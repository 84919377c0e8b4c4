import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ReportLinksService } from '../report-links/report-links.service';
import { ReportsService } from '../reports/reports.service';
import type { GraphqlContext } from './graphql-context';
import { ReportWindowArgs, TrendsArgs } from './types/args';
import { Organization } from './types/organization.types';
import { PageArgs } from './types/page';
import { ReportCard, ReportLinkPage, TrendReport } from './types/report.types';

/**
 * Trend reports and their share links. The SVG charts and the HTML page of REST are renderings of
 * `trends` and `reportCard`: GraphQL serves the data (GRAPHQL_PARITY_EXCEPTIONS says so).
 */
@Resolver(() => Organization)
export class OrganizationReportsResolver {
  constructor(
    private readonly reports: ReportsService,
    private readonly links: ReportLinksService,
  ) {}

  @ResolveField(() => TrendReport, {
    nullable: true,
    description: 'REST: GET .../reports/trends (JSON; REST also answers CSV).',
  })
  async trends(
    @Parent() org: Organization,
    @Args() args: TrendsArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'reports:read');
    return this.reports.trends(scope, args);
  }

  @ResolveField(() => ReportCard, {
    nullable: true,
    description: 'REST: GET .../reports/report-card',
  })
  async reportCard(
    @Parent() org: Organization,
    @Args() args: ReportWindowArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'reports:read');
    return this.reports.reportCard(scope, args);
  }

  @ResolveField(() => ReportLinkPage, {
    nullable: true,
    description: 'REST: GET .../report-links (revoked and expired ones included; never tokens).',
  })
  async reportLinks(
    @Parent() org: Organization,
    @Args() args: PageArgs,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(org.id, 'report-links:manage');
    return this.links.list(scope, args);
  }
}
