import { Injectable } from '@nestjs/common';
import { migrationsDirectory } from '../../../../../libs/common/src';
import { pendingMigrationNames, PrismaService } from '../../../../../libs/database/src';
import { JobQueue } from '../../../../worker/src/job-queue';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly jobs: JobQueue,
  ) {}

  /** Ready = the database answers, every migration on disk is applied, and the job queue runs. */
  async readiness(): Promise<ReadinessCheck[]> {
    const checks: ReadinessCheck[] = [];
    try {
      const applied = await this.prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const pending = await pendingMigrationNames(
        applied.map((row) => row.migration_name),
        migrationsDirectory(),
      );
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
    checks.push({ name: 'jobQueue', ok: queue.running, detail: queue.lastError });
    return checks;
  }
}
