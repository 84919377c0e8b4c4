import { seedDemo } from '../src/demo/demo';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

describe('npm run demo (the demo organization)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const counts = (organizationId: string) =>
    withClient(testApp.database.adminUrl, async (client) => {
      const count = async (sql: string) =>
        Number((await client.query(sql, [organizationId])).rows[0].count);
      return {
        teams: await count('SELECT count(*) FROM teams WHERE organization_id = $1'),
        assessments: await count(
          "SELECT count(*) FROM assessments WHERE organization_id = $1 AND status = 'submitted'",
        ),
        snapshots: await count(
          'SELECT count(*) FROM progress_snapshots WHERE organization_id = $1',
        ),
        activeRoadmaps: await count(
          "SELECT count(*) FROM roadmaps WHERE organization_id = $1 AND status = 'active'",
        ),
        usableLinks: await count(
          'SELECT count(*) FROM report_links WHERE organization_id = $1 AND revoked_at IS NULL',
        ),
        oldest: (
          await client.query(
            'SELECT min(recorded_at) AS oldest FROM progress_snapshots WHERE organization_id = $1',
            [organizationId],
          )
        ).rows[0].oldest as Date,
      };
    });

  it('builds teams with two years of history, a roadmap each and a working share link; twice is once', async () => {
    const options = { teams: 2, everyDays: 180 };
    const first = await seedDemo(testApp.app, testApp.database.migrationUrl, '', () => {}, options);
    const once = await counts(first.organizationId);
    expect(once).toMatchObject({ teams: 2, assessments: 8, activeRoadmaps: 2, usableLinks: 1 });
    expect(once.snapshots).toBe(8 * 9);
    expect(Date.now() - once.oldest.getTime()).toBeGreaterThan(600 * 86_400_000);
    const page = await testApp.http().get(first.shareUrl).expect(200);
    expect(page.text).toContain('Demo ML Platform');

    const second = await seedDemo(
      testApp.app,
      testApp.database.migrationUrl,
      '',
      () => {},
      options,
    );
    expect(second.organizationId).toBe(first.organizationId);
    const { oldest: _oldest, ...twice } = await counts(first.organizationId);
    const { oldest: _first, ...onceCounts } = once;
    expect(twice).toEqual(onceCounts);
    // The previous link was revoked when the new one was made.
    await testApp.http().get(first.shareUrl).expect(404);
    await testApp.http().get(second.shareUrl).expect(200);
  });
});
