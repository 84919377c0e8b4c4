import { DynamicModule, Module } from '@nestjs/common';
import { PurgeExpiredJob } from './maintenance.jobs';
import {
  MAINTENANCE_OPTIONS,
  MaintenanceOptions,
  MaintenanceRepository,
} from './maintenance.repository';

/** Scheduled upkeep of the database (worker jobs on the job queue). */
@Module({})
export class MaintenanceModule {
  static forRoot(options: MaintenanceOptions): DynamicModule {
    return {
      module: MaintenanceModule,
      providers: [
        { provide: MAINTENANCE_OPTIONS, useValue: options },
        MaintenanceRepository,
        PurgeExpiredJob,
      ],
    };
  }
}
