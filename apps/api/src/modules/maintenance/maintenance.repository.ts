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
}

/**
 * Clean-up across every tenant at once, which the application role can never do: invitations are
 * under FORCE row-level security, and only the maintenance connection (any role but mlops_app)
 * passes the `invitations_expired_cleanup` policies, which show it exactly the expired or
 * accepted invitations and nothing else. A connection per run: the job runs once an hour.
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
      await client.query('COMMIT');
      return { refreshTokens: refreshTokens.rowCount ?? 0, invitations: invitations.rowCount ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  }
}
