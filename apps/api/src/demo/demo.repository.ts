import { Client } from 'pg';

/**
 * Moves the assessments and their progress snapshots to the dates of the plan. The application
 * role may not rewrite snapshots (they are append-only), so this runs on the migration connection,
 * under the organization's row-level security setting.
 */
export async function backdate(
  migrationUrl: string,
  organizationId: string,
  rows: { assessmentId: string; at: Date }[],
): Promise<void> {
  const client = new Client({ connectionString: migrationUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
    const ids = rows.map((row) => row.assessmentId);
    const dates = rows.map((row) => row.at.toISOString());
    await client.query(
      `UPDATE assessments a SET created_at = d.at, submitted_at = d.at, updated_at = d.at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS d(id, at)
        WHERE a.organization_id = $3 AND a.id = d.id`,
      [ids, dates, organizationId],
    );
    await client.query(
      `UPDATE progress_snapshots p SET recorded_at = d.at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS d(id, at)
        WHERE p.organization_id = $3 AND p.cause_id = d.id`,
      [ids, dates, organizationId],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}
