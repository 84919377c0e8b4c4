import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig, publicBaseUrl } from '@app/common';
import { domainErrorOfDatabaseError } from '@app/database';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AssessmentsModule } from '../assessments/assessments.module';
import { AuditModule } from '../audit/audit.module';
import { CampaignsCoreModule } from '../campaigns/campaigns-core.module';
import { ApiKeyAccess } from '../auth/api-key-access';
import { AccessTokens } from '../auth/access-tokens';
import { EvidenceModule } from '../evidence/evidence.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { MaturityModelsModule } from '../maturity-models/maturity-models.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ProgressModule } from '../progress/progress.module';
import { ReportLinksModule } from '../report-links/report-links.module';
import { ReportsModule } from '../reports/reports.module';
import { RoadmapsModule } from '../roadmaps/roadmaps.module';
import { TeamScoringModule } from '../team-scores/team-scoring.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { WebhookEndpointsModule } from '../webhook-endpoints/webhook-endpoints.module';
import { ROOT_LOGGER } from '../../core.module';
import { AssessmentResolver } from './assessment.resolver';
import { CampaignResolver, OrganizationCampaignsResolver } from './campaign.resolver';
import { graphqlContext } from './graphql-context';
import { graphqlErrorFormatter } from './graphql-errors';
import { costRule, MAX_QUERY_DEPTH } from './graphql-limits';
import { IntegrationResolver } from './integration.resolver';
import { DeferredMercuriusDriver } from './mercurius-driver';
import { MaturityModelResolver } from './maturity-model.resolver';
import { OrganizationResolver } from './organization.resolver';
import { OrganizationReportsResolver } from './report.resolver';
import { RoadmapResolver, TeamRoadmapsResolver } from './roadmap.resolver';
import { TeamResolver } from './team.resolver';
import { ViewerResolver } from './viewer.resolver';
import {
  OrganizationWebhookEndpointsResolver,
  WebhookEndpointResolver,
} from './webhook-endpoint.resolver';

export const GRAPHQL_PATH = '/graphql';

/**
 * The GraphQL read API at POST /graphql (and GET for simple queries): code-first
 * (@nestjs/graphql) on Mercurius, over the same services as REST. API process only: the worker
 * never loads it (it is not in job-features.ts). Introspection is on: the schema is public
 * (schema.graphql is committed); every field still needs the caller's credentials.
 * GraphiQL only with NODE_ENV=development.
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: DeferredMercuriusDriver,
      inject: [APP_CONFIG, ROOT_LOGGER, AccessTokens, ApiKeyAccess],
      useFactory: (
        config: AppConfig,
        logger: Logger,
        tokens: AccessTokens,
        apiKeys: ApiKeyAccess,
      ): MercuriusDriverConfig => ({
        path: GRAPHQL_PATH,
        autoSchemaFile: true,
        sortSchema: true,
        graphiql: config.NODE_ENV === 'development',
        queryDepth: MAX_QUERY_DEPTH,
        // The cost rule reads each request's variables: Mercurius' query cache must be off.
        cache: false,
        validationRules: ({ variables }) => [costRule(variables)],
        errorFormatter: graphqlErrorFormatter(domainErrorOfDatabaseError, logger),
        context: (request: FastifyRequest) =>
          graphqlContext(request, tokens, apiKeys, publicBaseUrl(config, request)),
      }),
    }),
    OrganizationsModule,
    TeamsModule,
    MembershipsModule,
    ApiKeysModule,
    AuditModule,
    MaturityModelsModule,
    AssessmentsModule,
    ProgressModule,
    TeamScoringModule,
    EvidenceModule,
    IntegrationsModule,
    UsersModule,
    CampaignsCoreModule,
    ReportsModule,
    ReportLinksModule,
    RoadmapsModule,
    WebhookEndpointsModule,
  ],
  providers: [
    ViewerResolver,
    OrganizationResolver,
    TeamResolver,
    AssessmentResolver,
    MaturityModelResolver,
    IntegrationResolver,
    OrganizationCampaignsResolver,
    CampaignResolver,
    OrganizationReportsResolver,
    TeamRoadmapsResolver,
    RoadmapResolver,
    OrganizationWebhookEndpointsResolver,
    WebhookEndpointResolver,
  ],
})
export class GraphqlApiModule {}
