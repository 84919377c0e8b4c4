import { Logger } from '@nestjs/common';
import { Job, JobHandler } from '@app/jobs';
import { MaintenanceRepository } from './maintenance.repository';

export const PURGE_EXPIRED_JOB = 'maintenance.purge-expired';

/**
 * The hourly clean-up of what can no longer be used: expired refresh tokens, invitations that
 * expired or were accepted, day-old idempotency keys. Minute 17, off the top of the hour when other
 * schedules tend to pile up.
 */
@Job({ name: PURGE_EXPIRED_JOB, cron: '17 * * * *', retryLimit: 2 })
export class PurgeExpiredJob implements JobHandler {
  private readonly logger = new Logger('Maintenance');

  constructor(private readonly maintenance: MaintenanceRepository) {}

  async handle(): Promise<void> {
    const purged = await this.maintenance.purgeExpired();
    this.logger.log(
      { purged },
      `purged ${purged.refreshTokens} refresh tokens, ${purged.invitations} invitations and ` +
        `${purged.idempotencyRecords} idempotency records`,
    );
  }
}
