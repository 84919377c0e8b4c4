import { JobQueue } from '@app/jobs';
import { createOrganization, signUp } from './support/actors';
import { invite } from './support/memberships';
import { withClient } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

describe('maintenance: purging expired credentials', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const sql = <Row extends object>(url: string, text: string, values: unknown[] = []) =>
    withClient(url, async (client) => (await client.query<Row>(text, values)).rows);
  const asAdmin = <Row extends object>(text: string, values: unknown[] = []) =>
    sql<Row>(testApp.database.adminUrl, text, values);

  it('deletes expired refresh tokens and expired or accepted invitations in every tenant, and nothing else', async () => {
    const lapsed = await signUp(testApp);
    const active = await signUp(testApp);
    const firstOwner = await signUp(testApp);
    const secondOwner = await signUp(testApp);
    const first = await createOrganization(testApp, firstOwner);
    const second = await createOrganization(testApp, secondOwner);
    const joiner = await signUp(testApp);

    const expiredHere = await invite(testApp, firstOwner, first, 'late@example.com', 'viewer');
    const expiredThere = await invite(testApp, secondOwner, second, 'late@example.com', 'viewer');
    const accepted = await invite(testApp, secondOwner, second, joiner.email, 'member');
    await testApp
      .http()
      .post(`/v1/invitations/${accepted.token}/accept`)
      .set(joiner.auth)
      .expect(201);
    const pending = await invite(testApp, firstOwner, first, 'soon@example.com', 'member');

    await asAdmin(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 day' WHERE user_id = $1`,
      [lapsed.id],
    );
    await asAdmin(
      `UPDATE invitations SET expires_at = now() - interval '1 hour' WHERE id = ANY($1)`,
      [[expiredHere.id, expiredThere.id]],
    );

    // The application role cannot do this clean-up: row-level security hides other tenants' rows.
    const asApplication = await sql(
      testApp.database.applicationUrl,
      'DELETE FROM invitations WHERE expires_at < now() RETURNING id',
    );
    expect(asApplication).toEqual([]);

    await testApp.app.get(JobQueue).runNow('maintenance.purge-expired');

    const tokens = await asAdmin<{ user_id: string }>(
      'SELECT user_id FROM refresh_tokens WHERE user_id = ANY($1)',
      [[lapsed.id, active.id]],
    );
    expect(tokens.map((row) => row.user_id)).toEqual([active.id]);
    const invitations = await asAdmin<{ id: string }>(
      'SELECT id FROM invitations WHERE organization_id = ANY($1)',
      [[first, second]],
    );
    expect(invitations.map((row) => row.id)).toEqual([pending.id]);

    // What it kept still works: the live sign-in refreshes, the pending invitation is listed.
    await testApp
      .http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: active.refreshToken })
      .expect(200);
    const listed = await testApp
      .http()
      .get(`/v1/organizations/${first}/invitations`)
      .set(firstOwner.auth)
      .expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([pending.id]);
    // The membership an accepted invitation created stays.
    const me = await testApp.http().get('/v1/me').set(joiner.auth).expect(200);
    expect(me.body.memberships).toEqual([{ organizationId: second, role: 'member' }]);
  });

  it('forgets idempotency keys after 24 hours, keeping younger ones and their replays', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const team = await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/teams`)
      .set(owner.auth)
      .send({ name: 'Retry', slug: 'retry' })
      .expect(201);
    const catalogue = await testApp.http().get('/v1/maturity-models').set(owner.auth).expect(200);
    const modelVersionId = catalogue.body.items[0].versions[0].id;
    const create = (key: string) =>
      testApp
        .http()
        .post(`/v1/organizations/${organizationId}/teams/${team.body.id}/assessments`)
        .set(owner.auth)
        .set('Idempotency-Key', key)
        .send({ modelVersionId });
    const old = await create('old-key').expect(201);
    const young = await create('young-key').expect(201);
    await asAdmin(
      `UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE key = 'old-key'`,
    );

    await testApp.app.get(JobQueue).runNow('maintenance.purge-expired');

    const keys = await asAdmin<{ key: string }>(
      'SELECT key FROM idempotency_records WHERE organization_id = $1 ORDER BY key',
      [organizationId],
    );
    expect(keys.map((row) => row.key)).toEqual(['young-key']);
    const replay = await create('young-key').expect(201);
    expect(replay.body.id).toBe(young.body.id);
    // A forgotten key is a new request again.
    const fresh = await create('old-key').expect(201);
    expect(fresh.body.id).not.toBe(old.body.id);
  });
});
