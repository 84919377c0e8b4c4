import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, CoreModuleOptions } from '../../api/src/core.module';
import { jobFeatureModules } from '../../api/src/job-features';

/** The worker process: the core and the feature modules that declare jobs; no HTTP at all. */
@Module({})
export class WorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'runWorkers'>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({ ...options, runWorkers: true }),
        ...jobFeatureModules(options.connections),
      ],
    };
  }
}
