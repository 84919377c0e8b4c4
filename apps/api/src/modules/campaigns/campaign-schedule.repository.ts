import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'pg';

export const CAMPAIGN_SCHEDULE_OPTIONS = Symbol('CAMPAIGN_SCHEDULE_OPTIONS');

export interface CampaignScheduleOptions {
  /** The owner connection (the migration URL): see CampaignScheduleRepository. */
  connectionString: string;
}

export type ScheduledAction = 'open' | 'close' | 'remind';

export interface DueCampaign {
  organizationId: string;
  campaignId: string;
  actions: ScheduledAction[];
}

/** How many campaigns one scheduler run takes on; the rest wait for the next minute. */
const BATCH = 500;

/**
 * Finds, across tenants, the campaigns due to open, close or remind: a read the application role
 * can never make. The maintenance connection sees campaigns only through the
 * `campaigns_scheduler_read` policy (scheduled or open ones, nothing else, no other table); what
 * is due is then done inside each campaign's own tenant, as the system. A connection per run:
 * the scheduler runs once a minute.
 */
@Injectable()
export class CampaignScheduleRepository {
  constructor(
    @Inject(CAMPAIGN_SCHEDULE_OPTIONS) private readonly options: CampaignScheduleOptions,
  ) {}

  async due(at: Date): Promise<DueCampaign[]> {
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: 'mlops-campaign-scheduler',
    });
    await client.connect();
    try {
      const { rows } = await client.query<{
        organization_id: string;
        id: string;
        status: 'scheduled' | 'open';
        closing: boolean;
        reminding: boolean;
      }>(
        `SELECT organization_id, id, status::text AS status, closes_at <= $1 AS closing,
                (reminder_every_hours IS NOT NULL
                 AND COALESCE(last_reminder_at, opened_at) + reminder_every_hours * interval '1 hour' <= $1)
                  AS reminding
           FROM campaigns
          WHERE (status = 'scheduled' AND opens_at <= $1)
             OR (status = 'open' AND (closes_at <= $1 OR (reminder_every_hours IS NOT NULL
                 AND COALESCE(last_reminder_at, opened_at) + reminder_every_hours * interval '1 hour' <= $1)))
          ORDER BY closes_at, id
          LIMIT ${BATCH}`,
        [at],
      );
      return rows.map((row) => ({
        organizationId: row.organization_id,
        campaignId: row.id,
        actions: [
          ...(row.status === 'scheduled' ? (['open'] as const) : []),
          ...(row.closing ? (['close'] as const) : row.reminding ? (['remind'] as const) : []),
        ],
      }));
    } finally {
      await client.end();
    }
  }
}
