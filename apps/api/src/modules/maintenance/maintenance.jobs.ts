import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../../../../worker/src/job-queue';
import { MaintenanceRepository } from './maintenance.repository';

export const PURGE_EXPIRED_JOB = 'maintenance.purge-expired';

/** Registers the hourly clean-up of credentials that can no longer be used. */
@Injectable()
export class MaintenanceJobs implements OnModuleInit {
  private readonly logger = new Logger('Maintenance');

  constructor(
    private readonly queue: JobQueue,
    private readonly maintenance: MaintenanceRepository,
  ) {}

  onModuleInit(): void {
    this.queue.register({
      name: PURGE_EXPIRED_JOB,
      // Minute 17, off the top of the hour when other schedules tend to pile up.
      cron: '17 * * * *',
      handle: () => this.purgeExpired(),
    });
  }

  /**
   * Expired refresh tokens, invitations that expired or were accepted, day-old idempotency keys,
   * rate-limit counters that ended.
   */
  async purgeExpired(): Promise<void> {
    const purged = await this.maintenance.purgeExpired();
    this.logger.log(
      { purged },
      `purged ${purged.refreshTokens} refresh tokens, ${purged.invitations} invitations, ` +
        `${purged.idempotencyRecords} idempotency records and ` +
        `${purged.rateLimitCounters} rate-limit counters`,
    );
  }
}
