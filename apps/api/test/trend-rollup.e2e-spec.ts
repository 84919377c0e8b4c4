import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { type OrganizationId, TenantTransactions } from '@app/database';
import {
  type Bucket,
  LastPointPerBucket,
  OVERALL,
  trendBuckets,
  type TrendSeries,
  trendSeries,
} from '@app/reports';
import { collectLastPoints, ReportsRepository } from '../src/modules/reports/reports.repository';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { withClient } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

interface Stored {
  id: string;
  dimension_key: string | null;
  score: number;
  level: number;
  recorded_at: Date;
}

const SERIES = ['testing', 'deployment', null] as const;
const SPAN_START = Date.UTC(2025, 5, 1);
const SPAN_END = Date.UTC(2026, 7, 1);
const MONTH_STARTS = Array.from({ length: 14 }, (_unused, i) => Date.UTC(2025, 5 + i, 1));

/** An instant that is often a month start, a millisecond either side of one, or a shared one. */
const instant = fc.oneof(
  fc.integer({ min: SPAN_START, max: SPAN_END }),
  fc
    .tuple(fc.constantFrom(...MONTH_STARTS), fc.constantFrom(-1, 0, 1))
    .map(([start, shift]) => start + shift),
  fc.constantFrom(Date.UTC(2025, 9, 15, 12), Date.UTC(2026, 1, 28, 23, 59, 59, 999)),
);
const snapshot = fc.record({
  dimensionKey: fc.constantFrom(...SERIES),
  score: fc.integer({ min: 0, max: 30000 }).map((n) => n / 10000),
  level: fc.integer({ min: 0, max: 3 }),
  at: instant,
});

/**
 * Each bucket's last snapshot straight from the snapshots (bucket 0: the last before the window),
 * by the definition: the last in (recorded_at, id) order among those in the bucket.
 */
function expectedPoints(rows: Stored[], series: string, starts: number[], to: number) {
  const key = series === OVERALL ? null : series;
  const last = new Map<number, Stored>();
  for (const row of rows) {
    const at = row.recorded_at.getTime();
    if (row.dimension_key !== key || at >= to) continue;
    const bucket = starts.filter((start) => start <= at).length;
    const held = last.get(bucket);
    const later =
      !held ||
      at > held.recorded_at.getTime() ||
      (at === held.recorded_at.getTime() && row.id > held.id);
    if (later) last.set(bucket, row);
  }
  const scores: number[] = new Array(starts.length + 1).fill(NaN);
  const levels: number[] = new Array(starts.length + 1).fill(NaN);
  for (const [bucket, row] of last) {
    scores[bucket] = row.score;
    levels[bucket] = row.level;
  }
  return { scores, levels };
}

describe('trend roll-up (progress_snapshot_years) against progress_snapshots', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  const http = () => testApp.http();
  const asOwner = <T>(work: (client: import('pg').Client) => Promise<T>) =>
    withClient(testApp.database.migrationUrl, async (client) => {
      await client.query(`SELECT set_config('app.organization_id', $1, false)`, [organizationId]);
      return work(client);
    });

  /** Each month's last snapshot computed directly, and the roll-up's rows, in the same order. */
  const monthsBothWays = (teamId: string) =>
    asOwner(async (client) => {
      const direct = await client.query(
        `SELECT DISTINCT ON (dimension_key, month) dimension_key, month, id::text AS snapshot_id,
                recorded_at, score, level
           FROM (SELECT *, date_trunc('month', recorded_at AT TIME ZONE 'UTC')::date::text AS month
                   FROM progress_snapshots WHERE team_id = $1) p
          ORDER BY dimension_key, month, recorded_at DESC, id DESC`,
        [teamId],
      );
      // The arrays unnested per slot; scores and levels unpacked here as the migration packs them
      // (big-endian float8 and int2 per month).
      const rollup = await client.query<{
        dimension_key: string | null;
        month: string;
        snapshot_id: string;
        recorded_at: Date;
        slot: string;
        scores: Buffer;
        levels: Buffer;
      }>(
        `SELECT y.dimension_key, make_date(y.year, m.slot::int, 1)::text AS month,
                m.snapshot_id::text AS snapshot_id, m.recorded_at, m.slot, y.scores, y.levels
           FROM progress_snapshot_years y,
                unnest(y.snapshot_ids, y.recorded_at) WITH ORDINALITY AS m(snapshot_id, recorded_at, slot)
          WHERE y.team_id = $1 AND m.snapshot_id IS NOT NULL
          ORDER BY y.dimension_key, month`,
        [teamId],
      );
      const rollupRows = rollup.rows.map(({ slot, scores, levels, ...month }) => ({
        ...month,
        score: scores.readDoubleBE((Number(slot) - 1) * 8),
        level: levels.readInt16BE((Number(slot) - 1) * 2),
      }));
      // Every empty slot is empty in the packed columns too.
      const emptySlots = await client.query<{ scores: Buffer; levels: Buffer; empty: string[] }>(
        `SELECT scores, levels, array(SELECT i FROM generate_series(1, 12) i
                                       WHERE snapshot_ids[i] IS NULL) AS empty
           FROM progress_snapshot_years WHERE team_id = $1`,
        [teamId],
      );
      for (const row of emptySlots.rows) {
        for (const slot of row.empty.map(Number)) {
          expect(row.scores.readDoubleBE((slot - 1) * 8)).toBeNaN();
          expect(row.levels.readInt16BE((slot - 1) * 2)).toBe(-1);
        }
      }
      return { direct: direct.rows, rollup: rollupRows };
    });

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('keeps the last snapshot per team, series and month, and the trends read agrees with a direct computation', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(snapshot, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('week', 'month', 'quarter'),
        instant,
        instant,
        async (snapshots, statementSize, interval, a, b) => {
          run += 1;
          const teamId = (
            await http()
              .post(`/v1/organizations/${organizationId}/teams`)
              .set(owner.auth)
              .send({ name: `Random ${run}`, slug: `random-${run}-${randomUUID().slice(0, 8)}` })
              .expect(201)
          ).body.id as string;
          // In random order (later snapshots can come first) and several per statement: the
          // trigger reduces each statement's rows before its upsert.
          await asOwner(async (client) => {
            for (let i = 0; i < snapshots.length; i += statementSize) {
              const chunk = snapshots.slice(i, i + statementSize);
              await client.query(
                `INSERT INTO progress_snapshots (organization_id, team_id, dimension_key, level,
                   score, model_version_id, cause, cause_id, recorded_at)
                 SELECT $1, $2, s.dimension_key, s.level, s.score, $3, 'assessment',
                        gen_random_uuid(), s.recorded_at
                   FROM unnest($4::text[], $5::int[], $6::float8[], $7::timestamptz[])
                        AS s(dimension_key, level, score, recorded_at)`,
                [
                  organizationId,
                  teamId,
                  builtinVersionId('mlops-maturity', 1),
                  chunk.map((s) => s.dimensionKey),
                  chunk.map((s) => s.level),
                  chunk.map((s) => s.score),
                  chunk.map((s) => new Date(s.at).toISOString()),
                ],
              );
            }
          });
          const months = await monthsBothWays(teamId);
          expect(months.rollup).toEqual(months.direct);

          const [from, to] = a < b ? [a, b] : a > b ? [b, a] : [a, a + 1];
          const report = (
            await http()
              .get(`/v1/organizations/${organizationId}/reports/trends`)
              .query({
                teamIds: teamId,
                from: new Date(from).toISOString(),
                to: new Date(to).toISOString(),
                interval,
              })
              .set(owner.auth)
              .expect(200)
          ).body as {
            buckets: Bucket[];
            teamSeries: TrendSeries[];
          };
          const stored = await asOwner(
            async (client) =>
              (
                await client.query<Stored>(
                  `SELECT id::text AS id, dimension_key, score, level, recorded_at
                     FROM progress_snapshots WHERE team_id = $1`,
                  [teamId],
                )
              ).rows,
          );
          const starts = report.buckets.map((bucket) => Date.parse(bucket.start));
          expect(report.teamSeries.length).toBeGreaterThan(0);
          for (const series of report.teamSeries) {
            // Values, levels, delta and velocity (which read the value carried into the window).
            expect(series).toEqual(
              trendSeries(
                teamId,
                series.series,
                report.buckets,
                expectedPoints(stored, series.series, starts, to),
              ),
            );
          }
        },
      ),
      {
        numRuns: 60,
        seed: 20261130,
        // A quarterly window from mid-January: the snapshot before `from` in its partial month
        // (read from the snapshots) is the value carried in, though February (a whole month of
        // the first bucket, read from the roll-up) is later.
        examples: [
          [
            [
              { dimensionKey: null, score: 1, level: 1, at: Date.UTC(2026, 0, 10) },
              { dimensionKey: null, score: 2, level: 2, at: Date.UTC(2026, 1, 10) },
            ],
            1,
            'quarter',
            Date.UTC(2026, 0, 15),
            Date.UTC(2026, 5, 1),
          ],
        ],
      },
    );
  });

  it('collects the same points whether all teams are read at once or in ranges of their ids', async () => {
    const repository = testApp.app.get(ReportsRepository);
    const transactions = testApp.app.get(TenantTransactions);
    const tenant = organizationId as OrganizationId;
    const teamIds = (
      await asOwner((client) =>
        client.query<{ id: string }>(
          'SELECT id::text AS id FROM teams WHERE organization_id = $1',
          [organizationId],
        ),
      )
    ).rows.map((row) => row.id);
    expect(teamIds.length).toBeGreaterThan(20);
    const from = new Date(Date.UTC(2025, 8, 14));
    const to = new Date(Date.UTC(2026, 4, 20));
    const buckets = trendBuckets(from, to, 'month');
    const collect = async (teamsPerRead: number) => {
      const reads = repository.lastPoints(tenant, {
        teams: { all: teamIds },
        interval: 'month',
        buckets,
        from,
        to,
        dimensions: undefined,
        overall: true,
        teamsPerRead,
      });
      const collector = new LastPointPerBucket(buckets);
      for (const read of reads) {
        collectLastPoints(await transactions.readOnce(tenant, read), collector);
      }
      const byTeam = teamIds.map((id) =>
        [...SERIES.map((key) => key ?? OVERALL)].map((key) => collector.of(id, key)),
      );
      return { reads: reads.length, byTeam };
    };
    const atOnce = await collect(1000);
    const byThree = await collect(3);
    expect(atOnce.reads).toBe(1);
    expect(byThree.reads).toBe(Math.ceil(teamIds.length / 3));
    expect(atOnce.byTeam.flat().filter(Boolean).length).toBeGreaterThan(20);
    expect(byThree.byTeam).toEqual(atOnce.byTeam);
  });

  it('recomputes the months of rewritten history (the demo back-dating) and back-fills from the snapshots', async () => {
    const teamId = (
      await http()
        .post(`/v1/organizations/${organizationId}/teams`)
        .set(owner.auth)
        .send({ name: 'Rewritten', slug: 'rewritten' })
        .expect(201)
    ).body.id as string;
    await asOwner(async (client) => {
      await client.query(
        `INSERT INTO progress_snapshots (organization_id, team_id, dimension_key, level, score,
           model_version_id, cause, cause_id, recorded_at)
         SELECT $1, $2, NULL, 1, w, $3, 'assessment', gen_random_uuid(),
                timestamptz '2026-01-03T00:00:00Z' + w * interval '9 days'
           FROM generate_series(0, 20) AS w`,
        [organizationId, teamId, builtinVersionId('mlops-maturity', 1)],
      );
      // Moves every second snapshot two months back, across month boundaries.
      await client.query(
        `UPDATE progress_snapshots SET recorded_at = recorded_at - interval '2 months'
          WHERE team_id = $1 AND score::int % 2 = 0`,
        [teamId],
      );
    });
    const afterUpdate = await monthsBothWays(teamId);
    expect(afterUpdate.rollup.length).toBeGreaterThan(4);
    expect(afterUpdate.rollup).toEqual(afterUpdate.direct);

    // The migration's back-fill is this rebuild over every team with snapshots.
    await asOwner(async (client) => {
      await client.query('DELETE FROM progress_snapshot_years WHERE team_id = $1', [teamId]);
      await client.query(
        `SELECT progress_snapshot_years_rebuild(ARRAY[$1::uuid], ARRAY[$2::uuid])`,
        [organizationId, teamId],
      );
    });
    const rebuilt = await monthsBothWays(teamId);
    expect(rebuilt.rollup).toEqual(afterUpdate.direct);
  });

  it('is read-only for the application role', async () => {
    await withClient(testApp.database.applicationUrl, async (client) => {
      await expect(client.query('UPDATE progress_snapshot_years SET year = 3')).rejects.toThrow(
        /permission denied/,
      );
    });
  });
});
