import type { DynamicModule, Type } from '@nestjs/common';
import type { DatabaseConnections } from '@app/database';
import { EvidenceJobsModule } from './modules/evidence/evidence-jobs.module';
import { IntegrationsJobsModule } from './modules/integrations/integrations-jobs.module';
import { CampaignsJobsModule } from './modules/campaigns/campaigns-jobs.module';
import { MaintenanceModule } from './modules/maintenance/maintenance.module';
import { OrganizationsJobsModule } from './modules/organizations/organizations-jobs.module';
import { WebhookEndpointsJobsModule } from './modules/webhook-endpoints/webhook-endpoints-jobs.module';

/**
 * The feature modules that declare job handlers, without HTTP controllers: the API process loads
 * them to enqueue (and, with PROCESS_ROLE=all, to run) their jobs; the worker process loads only
 * these. A feature that gains jobs adds its jobs module here.
 */
export function jobFeatureModules(
  connections: Pick<DatabaseConnections, 'migrationUrl'>,
): (DynamicModule | Type)[] {
  return [
    MaintenanceModule.forRoot({ connectionString: connections.migrationUrl }),
    OrganizationsJobsModule,
    EvidenceJobsModule,
    IntegrationsJobsModule,
    CampaignsJobsModule.forRoot({ connectionString: connections.migrationUrl }),
    WebhookEndpointsJobsModule,
  ];
}
