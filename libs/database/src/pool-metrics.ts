import { Injectable, OnModuleInit } from '@nestjs/common';
import { Metrics } from '@app/common';
import { PrismaService } from './prisma.service';

/** Exposes the application pool's gauges (open, idle, waiting) in every process's metrics. */
@Injectable()
export class PoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly prisma: PrismaService,
  ) {}

  onModuleInit(): void {
    this.metrics.observePool(this.prisma.pool);
  }
}
