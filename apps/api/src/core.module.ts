import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { APP_CONFIG, AppConfig, createRootLogger, loggerParams, Metrics } from '@app/common';
import { DatabaseConnections, DatabaseModule, SecretBox } from '@app/database';
import { JobsModule } from '@app/jobs';
import { AuditTrailModule } from './modules/audit/audit-trail.module';

export interface CoreModuleOptions {
  config: AppConfig;
  connections: Pick<DatabaseConnections, 'applicationUrl' | 'migrationUrl'>;
  /** False in an API-only process: it enqueues jobs but does not run them. */
  runWorkers: boolean;
  /** Where log lines go (stdout when unset); tests pass a stream to read them. */
  logDestination?: DestinationStream;
}

/** The process's root pino logger; the HTTP request log line is written to it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * What every process needs whatever its transport: configuration, structured logs, metrics, the
 * database, the job queue and the audit trail. The API adds HTTP on top; the worker adds only job
 * features.
 */
@Module({})
export class CoreModule {
  static forRoot({
    config,
    connections,
    runWorkers,
    logDestination,
  }: CoreModuleOptions): DynamicModule {
    const rootLogger = createRootLogger(config.LOG_LEVEL, logDestination);
    return {
      module: CoreModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(rootLogger)),
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
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: rootLogger },
        Metrics,
        {
          provide: SecretBox,
          useFactory: () => SecretBox.load(config.SECRETS_KEY, connections.migrationUrl),
        },
      ],
      exports: [APP_CONFIG, ROOT_LOGGER, Metrics, SecretBox],
    };
  }
}
