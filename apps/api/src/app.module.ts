import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, CoreModuleOptions } from './core.module';
import { jobFeatureModules } from './job-features';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { TeamsModule } from './modules/teams/teams.module';
import { MembershipsModule } from './modules/memberships/memberships.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { UsersModule } from './modules/users/users.module';
import { MaturityModelsModule } from './modules/maturity-models/maturity-models.module';
import { AssessmentsModule } from './modules/assessments/assessments.module';
import { ProgressModule } from './modules/progress/progress.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { TeamScoresModule } from './modules/team-scores/team-scores.module';
import { EvidenceModule } from './modules/evidence/evidence.module';
import { IntegrationsModule } from './modules/integrations/integrations.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { CampaignsModule } from './modules/campaigns/campaigns.module';
import { WebhookEndpointsModule } from './modules/webhook-endpoints/webhook-endpoints.module';
import { RoadmapsModule } from './modules/roadmaps/roadmaps.module';
import { ReportsModule } from './modules/reports/reports.module';
import { ReportLinksModule } from './modules/report-links/report-links.module';
import { GraphqlApiModule } from './modules/graphql/graphql.module';

export interface AppModuleOptions extends CoreModuleOptions {
  /** HS256 key for access tokens: JWT_SECRET, or the one kept in the database. */
  jwtSigningKey: string;
}

/** The HTTP API: the core, every feature with its controllers, and the job features. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        MetricsModule,
        HealthModule,
        AuthModule.forRoot(options.config, options.jwtSigningKey),
        AuditModule,
        UsersModule,
        OrganizationsModule,
        TeamsModule,
        MembershipsModule,
        ApiKeysModule,
        MaturityModelsModule,
        AssessmentsModule,
        ProgressModule,
        TeamScoresModule,
        EvidenceModule,
        IntegrationsModule,
        WebhooksModule,
        CampaignsModule,
        WebhookEndpointsModule,
        RoadmapsModule,
        ReportsModule,
        ReportLinksModule,
        GraphqlApiModule,
        ...jobFeatureModules(options.connections),
      ],
    };
  }
}
