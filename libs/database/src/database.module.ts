import { DynamicModule, Global, Module } from '@nestjs/common';
import { DATABASE_OPTIONS, DatabaseOptions, PrismaService } from './prisma.service';
import { PoolMetrics } from './pool-metrics';
import { TenantTransactions } from './tenant-transactions';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        PrismaService,
        TenantTransactions,
        PoolMetrics,
      ],
      exports: [PrismaService, TenantTransactions],
    };
  }
}
