import { Injectable } from '@nestjs/common';
import { migrationsDirectory } from '@app/common';
import { listMigrationNames } from '@app/database';
import { JobQueue } from '@app/jobs';
import { HealthRepository } from './health.repository';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

@Injectable()
export class HealthService {
  /** The migrations this build ships; they cannot change while it runs, so they are listed once. */
  private shippedMigrations?: Promise<string[]>;

  constructor(
    private readonly health: HealthRepository,
    private readonly jobs: JobQueue,
  ) {}

  /** Ready = the database answers, every shipped migration is applied, and the job queue runs. */
  async readiness(): Promise<ReadinessCheck[]> {
    const checks: ReadinessCheck[] = [];
    try {
      const applied = new Set(await this.health.appliedMigrationNames());
      this.shippedMigrations ??= listMigrationNames(migrationsDirectory());
      const pending = (await this.shippedMigrations).filter((name) => !applied.has(name));
      checks.push({ name: 'database', ok: true });
      checks.push({
        name: 'migrations',
        ok: pending.length === 0,
        detail: pending.length ? `pending: ${pending.join(', ')}` : undefined,
      });
    } catch (error) {
      checks.push({ name: 'database', ok: false, detail: (error as Error).message.split('\n')[0] });
    }
    const queue = this.jobs.health();
    checks.push({ name: 'jobQueue', ok: queue.running && queue.healthy });
    return checks;
  }
}
