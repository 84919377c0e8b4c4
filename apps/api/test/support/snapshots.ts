import { randomUUID } from 'node:crypto';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import type { TestApp } from './test-app';
import { withClient } from './test-database';

export interface HandMadeSnapshot {
  teamId: string;
  /** null: the overall figure. */
  dimensionKey: string | null;
  score: number;
  level: number;
  recordedAt: string;
}

/** Writes progress snapshots at chosen instants (the API only records "now"). */
export async function insertSnapshots(
  testApp: TestApp,
  organizationId: string,
  snapshots: HandMadeSnapshot[],
): Promise<void> {
  await withClient(testApp.database.migrationUrl, async (client) => {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
    for (const snapshot of snapshots) {
      await client.query(
        `INSERT INTO progress_snapshots (organization_id, team_id, dimension_key, level, score,
           model_version_id, cause, cause_id, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'assessment', $7, $8)`,
        [
          organizationId,
          snapshot.teamId,
          snapshot.dimensionKey,
          snapshot.level,
          snapshot.score,
          builtinVersionId('mlops-maturity', 1),
          randomUUID(),
          snapshot.recordedAt,
        ],
      );
    }
    await client.query('COMMIT');
  });
}
