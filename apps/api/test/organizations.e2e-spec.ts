import { createOrganization, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';

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
});
