import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface PoolStatistics {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The Prometheus registry of one app instance (one per app, so tests can boot several). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly jobsTotal = new Counter({
    name: 'jobs_total',
    help: 'Job runs by job name and outcome (completed or failed).',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Job run duration by job name.',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'webhook_deliveries_total',
    help:
      'Inbound CI webhook requests by provider and outcome (accepted, duplicate, ping, ' +
      'unauthorized, not_found, bad_request).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly evidenceProcessed = new Counter({
    name: 'webhook_deliveries_processed_total',
    help: 'Processed deliveries by final status (processed, ignored, failed, dead).',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Database pool gauges, read at scrape time. */
  observePool(pool: PoolStatistics): void {
    const gauges: [string, string, keyof PoolStatistics][] = [
      ['db_pool_connections_total', 'Connections open in the application pool.', 'totalCount'],
      ['db_pool_connections_idle', 'Idle connections in the application pool.', 'idleCount'],
      ['db_pool_requests_waiting', 'Queries waiting for a pooled connection.', 'waitingCount'],
    ];
    for (const [name, help, field] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(pool[field]);
        },
      });
    }
  }
}
