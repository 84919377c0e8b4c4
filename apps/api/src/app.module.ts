import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ClsModule } from 'nestjs-cls';
import {
  APP_CONFIG,
  AppConfig,
  createRootLogger,
  loggerParams,
  Metrics,
  ProblemDetailsFilter,
  RequestContext,
} from '@app/common';
import { DatabaseConnections, DatabaseModule } from '@app/database';
import type { DestinationStream } from 'pino';
import { WorkerModule } from '../../worker/src/worker.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { TeamsModule } from './modules/teams/teams.module';
import { MembershipsModule } from './modules/memberships/memberships.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { MaintenanceModule } from './modules/maintenance/maintenance.module';
import { UsersModule } from './modules/users/users.module';
import { MaturityModelsModule } from './modules/maturity-models/maturity-models.module';
import { AssessmentsModule } from './modules/assessments/assessments.module';
import { ProgressModule } from './modules/progress/progress.module';
import { MetricsModule } from './modules/metrics/metrics.module';

export interface AppModuleOptions {
  config: AppConfig;
  connections: Pick<DatabaseConnections, 'applicationUrl' | 'migrationUrl'>;
  runWorkers: boolean;
  /** HS256 key for access tokens: JWT_SECRET, or the one kept in the database. */
  jwtSigningKey: string;
  /** Where log lines go (stdout when unset); tests pass a stream to read them. */
  logDestination?: DestinationStream;
}

/** The process's root pino logger; the request log line is written to it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Module({})
export class AppModule {
  static forRoot({
    config,
    connections,
    runWorkers,
    jwtSigningKey,
    logDestination,
  }: AppModuleOptions): DynamicModule {
    const rootLogger = createRootLogger(config.LOG_LEVEL, logDestination);
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(rootLogger)),
        ClsModule.forRoot({ global: true, middleware: { mount: true } }),
        DatabaseModule.forRoot({
          applicationUrl: connections.applicationUrl,
          poolMax: config.DATABASE_POOL_MAX,
        }),
        WorkerModule.forRoot({
          connectionString: connections.migrationUrl,
          runWorkers,
          shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
        }),
        MetricsModule,
        HealthModule,
        AuthModule.forRoot(config, jwtSigningKey),
        AuditModule,
        UsersModule,
        OrganizationsModule,
        TeamsModule,
        MembershipsModule,
        ApiKeysModule,
        MaintenanceModule.forRoot({ connectionString: connections.migrationUrl }),
        MaturityModelsModule,
        AssessmentsModule,
        ProgressModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: rootLogger },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        Metrics,
        RequestContext,
      ],
      exports: [APP_CONFIG, ROOT_LOGGER, Metrics, RequestContext],
    };
  }
}
