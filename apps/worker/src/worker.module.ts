import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, CoreModuleOptions } from '../../api/src/core.module';
import { jobFeatureModules } from '../../api/src/job-features';
import { MetricsServerModule } from '../../api/src/modules/metrics/metrics-server.module';

/**
 * The worker process: the core and the feature modules that declare jobs; no HTTP API (with
 * METRICS_PORT it serves its job metrics there).
 */
@Module({})
export class WorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'runWorkers'>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({ ...options, runWorkers: true }),
        MetricsServerModule,
        ...jobFeatureModules(options.connections),
      ],
    };
  }
}
