import { randomUUID } from 'node:crypto';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

describe('progress snapshots', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;
  let teamId: string;
  const submittedIds: string[] = [];

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
    const team = await testApp
      .http()
      .post(`${org}/teams`)
      .set(owner.auth)
      .send({ name: 'Fraud', slug: 'fraud' })
      .expect(201);
    teamId = team.body.id;
    for (let i = 0; i < 3; i++) {
      const created = await testApp
        .http()
        .post(`${org}/teams/${teamId}/assessments`)
        .set(owner.auth)
        .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
        .expect(201);
      await testApp
        .http()
        .post(`${org}/assessments/${created.body.id}/submit`)
        .set(owner.auth)
        .expect(200);
      submittedIds.push(created.body.id);
    }
  });
  afterAll(() => testApp.close());

  it('pages the overall series oldest first and filters by time', async () => {
    const page1 = await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?dimension=overall&limit=2`)
      .set(owner.auth)
      .expect(200);
    expect(page1.body.items.map((p: { causeId: string }) => p.causeId)).toEqual(
      submittedIds.slice(0, 2),
    );
    const page2 = await testApp
      .http()
      .get(
        `${org}/teams/${teamId}/progress?dimension=overall&limit=2&cursor=${page1.body.nextCursor}`,
      )
      .set(owner.auth)
      .expect(200);
    expect(page2.body.items.map((p: { causeId: string }) => p.causeId)).toEqual([submittedIds[2]]);
    expect(page2.body.nextCursor).toBeNull();

    const last = page2.body.items[0].recordedAt as string;
    const until = await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?dimension=overall&to=${encodeURIComponent(last)}`)
      .set(owner.auth)
      .expect(200);
    expect(until.body.items).toHaveLength(2);
    const since = await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?dimension=overall&from=${encodeURIComponent(last)}`)
      .set(owner.auth)
      .expect(200);
    expect(since.body.items).toHaveLength(1);
  });

  it('validates the query and the team', async () => {
    await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?dimension=DROP%20TABLE`)
      .set(owner.auth)
      .expect(400);
    await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?from=yesterday`)
      .set(owner.auth)
      .expect(400);
    await testApp.http().get(`${org}/teams/${randomUUID()}/progress`).set(owner.auth).expect(404);
    const none = await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?dimension=no_such_dimension`)
      .set(owner.auth)
      .expect(200);
    expect(none.body.items).toEqual([]);
  });

  it('is append-only: the application role cannot update or delete snapshots', async () => {
    const asApplication = (sql: string) =>
      withClient(testApp.database.applicationUrl, async (client) => {
        await client.query('BEGIN');
        try {
          await client.query(`SELECT set_config('app.organization_id', $1, true)`, [
            organizationId,
          ]);
          return await client.query(sql, [teamId]);
        } finally {
          await client.query('ROLLBACK');
        }
      });
    await expect(
      asApplication('UPDATE progress_snapshots SET score = 3 WHERE team_id = $1'),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asApplication('DELETE FROM progress_snapshots WHERE team_id = $1'),
    ).rejects.toThrow(/permission denied/);
    const visible = await asApplication(
      'SELECT count(*)::int AS n FROM progress_snapshots WHERE team_id = $1',
    );
    expect(visible.rows[0].n).toBe(3 * 9);
  });
});
