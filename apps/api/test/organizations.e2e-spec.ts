import { JobQueue } from '@app/jobs';
import { createOrganization, signUp } from './support/actors';
import { invite } from './support/memberships';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

describe('organizations', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('makes the creator the owner, lists it as theirs and shows it in /v1/me', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);

    const mine = await testApp.http().get('/v1/organizations').set(owner.auth).expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ id: organizationId, role: 'owner' }),
    ]);
    expect(mine.body.nextCursor).toBeNull();

    const me = await testApp.http().get('/v1/me').set(owner.auth).expect(200);
    expect(me.body).toEqual({
      id: owner.id,
      email: owner.email,
      name: 'Test User',
      memberships: [{ organizationId, role: 'owner' }],
    });
  });

  it('renames an organization and records who did it in the audit log', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const renamed = await testApp
      .http()
      .patch(`/v1/organizations/${organizationId}`)
      .set(owner.auth)
      .set('User-Agent', 'audit-test-agent')
      .set('X-Request-Id', 'rename-request-1')
      .send({ name: 'Renamed' })
      .expect(200);
    expect(renamed.body.name).toBe('Renamed');

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual([
      'organization.updated',
      'organization.created',
    ]);
    expect(audit.body.items[0]).toMatchObject({
      actorType: 'user',
      actorId: owner.id,
      entityType: 'organization',
      entityId: organizationId,
      changes: { name: 'Renamed' },
      requestId: 'rename-request-1',
      userAgent: 'audit-test-agent',
    });
  });

  it('rejects a taken slug with 409 and unknown fields with 400, changing nothing', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const { body: organization } = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}`)
      .set(owner.auth)
      .expect(200);
    const taken = await testApp
      .http()
      .post('/v1/organizations')
      .set(owner.auth)
      .send({ name: 'Copy', slug: organization.slug })
      .expect(409);
    expect(taken.body.type).toBe('urn:mlops:problem:conflict');

    const unknownField = await testApp
      .http()
      .patch(`/v1/organizations/${organizationId}`)
      .set(owner.auth)
      .send({ name: 'X', plan: 'enterprise' })
      .expect(400);
    expect(unknownField.body.errors).toEqual([
      { field: 'plan', reasons: ['property plan should not exist'] },
    ]);
    const unchanged = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}`)
      .set(owner.auth)
      .expect(200);
    expect(unchanged.body.name).toBe(organization.name);
  });

  it('soft-deletes: the organization then answers 404 and leaves the owner list', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    await testApp.http().delete(`/v1/organizations/${organizationId}`).set(owner.auth).expect(204);
    await testApp.http().get(`/v1/organizations/${organizationId}`).set(owner.auth).expect(404);
    const mine = await testApp.http().get('/v1/organizations').set(owner.auth).expect(200);
    expect(mine.body.items).toEqual([]);
  });

  it('after deletion a job, enqueued with the deletion, revokes its API keys and ends its invitations', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const org = `/v1/organizations/${organizationId}`;
    const key = await testApp
      .http()
      .post(`${org}/api-keys`)
      .set(owner.auth)
      .send({ name: 'ci', scopes: ['assessments:read'] })
      .expect(201);
    await invite(testApp, owner, organizationId, 'later@example.com', 'member');
    await testApp.http().delete(org).set(owner.auth).expect(204);

    const admin = <Row extends object>(text: string) =>
      withClient(testApp.database.adminUrl, async (client) => {
        const { rows } = await client.query<Row>(text, [organizationId]);
        return rows;
      });
    const jobs = await admin<{ name: string; data: object }>(
      `SELECT name, data FROM pgboss.job WHERE data->>'organizationId' = $1`,
    );
    expect(jobs).toEqual([{ name: 'organizations.close', data: { organizationId } }]);

    // The API process only enqueues; run the job as a worker would.
    await testApp.app.get(JobQueue).runNow('organizations.close', { organizationId });
    await testApp.app.get(JobQueue).runNow('organizations.close', { organizationId });

    const keys = await admin<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE organization_id = $1',
    );
    expect(keys).toEqual([{ revoked: true }]);
    const invitations = await admin<{ ended: boolean }>(
      'SELECT expires_at <= now() AS ended FROM invitations WHERE organization_id = $1',
    );
    expect(invitations).toEqual([{ ended: true }]);
    const audit = await admin<{ actor_type: string; actor_id: string; changes: object }>(
      `SELECT actor_type, actor_id, changes FROM audit_events
        WHERE organization_id = $1 AND action = 'organization.credentials_closed'`,
    );
    // Run twice, recorded once: the second run found nothing left to close.
    expect(audit).toEqual([
      {
        actor_type: 'system',
        actor_id: 'organizations.close',
        changes: { revokedApiKeys: 1, endedInvitations: 1 },
      },
    ]);
    expect(key.body.key).toMatch(/^mmk_/);
  });
});
