import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, loggerParams, Metrics } from '@app/common';
import { DatabaseConnections, DatabaseModule } from '@app/database';
import { JobsModule } from '@app/jobs';
import { AuditTrailModule } from './modules/audit/audit-trail.module';

export interface CoreModuleOptions {
  config: AppConfig;
  connections: Pick<DatabaseConnections, 'applicationUrl' | 'migrationUrl'>;
  /** False in an API-only process: it enqueues jobs but does not run them. */
  runWorkers: boolean;
}

/**
 * What every process needs whatever its transport: configuration, structured logs, metrics, the
 * database, the job queue and the audit trail. The API adds HTTP on top; the worker adds only job
 * features.
 */
@Module({})
export class CoreModule {
  static forRoot({ config, connections, runWorkers }: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(config.LOG_LEVEL)),
        DatabaseModule.forRoot({
          applicationUrl: connections.applicationUrl,
          poolMax: config.DATABASE_POOL_MAX,
        }),
        JobsModule.forRoot({
          connectionString: connections.migrationUrl,
          runWorkers,
          shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
          pollingIntervalSeconds: config.JOB_POLLING_INTERVAL_SECONDS,
        }),
        AuditTrailModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }, Metrics],
      exports: [APP_CONFIG, Metrics],
    };
  }
}
