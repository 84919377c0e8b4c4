import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import {
  APP_CONFIG,
  AppConfig,
  loggerParams,
  Metrics,
  ProblemDetailsFilter,
} from '../../../libs/common/src';
import { DatabaseConnections, DatabaseModule } from '../../../libs/database/src';
import { WorkerModule } from '../../worker/src/worker.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';

export interface AppModuleOptions {
  config: AppConfig;
  connections: Pick<DatabaseConnections, 'applicationUrl' | 'migrationUrl'>;
  runWorkers: boolean;
}

@Module({})
export class AppModule {
  static forRoot({ config, connections, runWorkers }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(config.LOG_LEVEL)),
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
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        Metrics,
      ],
      exports: [APP_CONFIG, Metrics],
    };
  }
}
