import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'pg';

export const MAINTENANCE_OPTIONS = Symbol('MAINTENANCE_OPTIONS');

export interface MaintenanceOptions {
  /** The owner connection (the migration URL), never the application role: see purgeExpired. */
  connectionString: string;
}

export interface PurgeCounts {
  refreshTokens: number;
  invitations: number;
  idempotencyRecords: number;
  rateLimitCounters: number;
}

/**
 * Clean-up across every tenant at once, which the application role can never do: invitations and
 * idempotency records are under FORCE row-level security, and only the maintenance connection (any
 * role but mlops_app) passes their `*_expired_cleanup` policies, which show it exactly the rows that
 * can go and nothing else. A connection per run: the job runs once an hour.
 */
@Injectable()
export class MaintenanceRepository {
  constructor(@Inject(MAINTENANCE_OPTIONS) private readonly options: MaintenanceOptions) {}

  async purgeExpired(): Promise<PurgeCounts> {
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: 'mlops-maintenance',
    });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Refresh tokens are a global table; an expired one can no longer be exchanged.
      const refreshTokens = await client.query(
        'DELETE FROM "refresh_tokens" WHERE "expires_at" < now()',
      );
      // The same condition as the policy, so the statement states its intent on its own.
      const invitations = await client.query(
        'DELETE FROM "invitations" WHERE "expires_at" < now() OR "accepted_at" IS NOT NULL',
      );
      // Idempotency keys are promised for 24 hours (the Idempotency-Key header's documentation).
      const idempotencyRecords = await client.query(
        `DELETE FROM "idempotency_records" WHERE "created_at" < now() - interval '24 hours'`,
      );
      // Rate-limit counters whose window and block both ended count nothing any more.
      const rateLimitCounters = await client.query(
        `DELETE FROM "rate_limit_counters"
          WHERE "window_ends_at" < now() AND ("blocked_until" IS NULL OR "blocked_until" < now())`,
      );
      await client.query('COMMIT');
      return {
        refreshTokens: refreshTokens.rowCount ?? 0,
        invitations: invitations.rowCount ?? 0,
        idempotencyRecords: idempotencyRecords.rowCount ?? 0,
        rateLimitCounters: rateLimitCounters.rowCount ?? 0,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  }
}
