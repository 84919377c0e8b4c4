import { hashSecret } from '@app/common';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { joinedMember } from './support/memberships';
import { withClient } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  expiresAt: string | null;
  auth: { Authorization: string };
}

describe('API keys', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let keys: string;
  let teams: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    keys = `/v1/organizations/${organizationId}/api-keys`;
    teams = `/v1/organizations/${organizationId}/teams`;
    await testApp
      .http()
      .post(teams)
      .set(owner.auth)
      .send({ name: 'Search', slug: 'search' })
      .expect(201);
  });
  afterAll(() => testApp.close());

  async function createKey(body: object, as: SignedInUser = owner): Promise<CreatedKey> {
    const response = await testApp.http().post(keys).set(as.auth).send(body).expect(201);
    return { ...response.body, auth: { Authorization: `Bearer ${response.body.key}` } };
  }

  const sql = (text: string, values: unknown[] = []) =>
    withClient(
      testApp.database.adminUrl,
      async (client) => (await client.query(text, values)).rows,
    );

  it('shows the key once, keeps only its hash, and lists only the prefix', async () => {
    const response = await testApp
      .http()
      .post(keys)
      .set(owner.auth)
      .send({ name: 'CI uploader', scopes: ['evidence:write', 'assessments:read'] })
      .expect(201);
    const created = response.body;
    expect(created).toEqual({
      id: expect.any(String),
      name: 'CI uploader',
      prefix: created.key.slice(0, 12),
      scopes: ['evidence:write', 'assessments:read'],
      createdById: owner.id,
      createdAt: expect.any(String),
      expiresAt: null,
      lastUsedAt: null,
      key: expect.stringMatching(/^mmk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/),
    });
    expect(created.key.slice(4, 36)).toBe(created.id.replace(/-/g, ''));
    const secret = created.key.slice(37);

    const [stored] = await sql('SELECT secret_hash FROM api_keys WHERE id = $1', [created.id]);
    expect(stored.secret_hash).toBe(hashSecret(created.key));

    const list = await testApp.http().get(keys).set(owner.auth).expect(200);
    const listed = list.body.items.find((item: { id: string }) => item.id === created.id);
    expect(listed).toMatchObject({ prefix: created.prefix, name: 'CI uploader' });
    expect(listed).not.toHaveProperty('key');
    expect(listed).not.toHaveProperty('secretHash');
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events?entityType=api_key`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'api_key.created',
      entityId: created.id,
      changes: { name: 'CI uploader', scopes: ['evidence:write', 'assessments:read'] },
    });
    expect(JSON.stringify(audit.body)).not.toContain(secret);
  });

  it('authenticates within its scopes and records when it was last used', async () => {
    const key = await createKey({ name: 'reader', scopes: ['assessments:read'] });
    const listed = await testApp.http().get(teams).set(key.auth).expect(200);
    expect(listed.body.items.map((team: { slug: string }) => team.slug)).toEqual(['search']);

    // Creating teams is for people: no scope grants teams:write.
    const forbidden = await testApp
      .http()
      .post(teams)
      .set(key.auth)
      .send({ name: 'Nope', slug: 'nope' })
      .expect(403);
    expect(forbidden.body.type).toBe('urn:mlops:problem:forbidden');
    // Nor may a key manage keys.
    await testApp.http().get(keys).set(key.auth).expect(403);

    const list = await testApp.http().get(keys).set(owner.auth).expect(200);
    const used = list.body.items.find((item: { id: string }) => item.id === key.id);
    expect(used.lastUsedAt).toEqual(expect.any(String));
    expect(Date.now() - new Date(used.lastUsedAt).getTime()).toBeLessThan(60_000);
  });

  it('refuses routes outside its scopes (403)', async () => {
    const key = await createKey({ name: 'reports only', scopes: ['reports:read'] });
    await testApp.http().get(teams).set(key.auth).expect(403);
  });

  it("answers 404 on another organization's routes", async () => {
    const key = await createKey({ name: 'reader', scopes: ['assessments:read'] });
    const elsewhere = await createOrganization(testApp, owner);
    const response = await testApp
      .http()
      .get(`/v1/organizations/${elsewhere}/teams`)
      .set(key.auth)
      .expect(404);
    expect(response.body.type).toBe('urn:mlops:problem:not-found');
  });

  it('stops working once revoked (401), and disappears from the list', async () => {
    const key = await createKey({ name: 'short-lived', scopes: ['assessments:read'] });
    await testApp.http().get(teams).set(key.auth).expect(200);

    await testApp.http().delete(`${keys}/${key.id}`).set(owner.auth).expect(204);
    const refused = await testApp.http().get(teams).set(key.auth).expect(401);
    expect(refused.body.detail).toMatch(/revoked/);
    await testApp.http().delete(`${keys}/${key.id}`).set(owner.auth).expect(404);
    await testApp.http().delete(`${keys}/not-a-uuid`).set(owner.auth).expect(404);
    const list = await testApp.http().get(keys).set(owner.auth).expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(key.id);

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events?entityType=api_key`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'api_key.revoked', entityId: key.id });
  });

  it('stops working once expired (401)', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const key = await createKey({ name: 'expiring', scopes: ['assessments:read'], expiresAt });
    expect(key.expiresAt).toBe(expiresAt);
    await testApp.http().get(teams).set(key.auth).expect(200);

    await sql(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      key.id,
    ]);
    const refused = await testApp.http().get(teams).set(key.auth).expect(401);
    expect(refused.body.detail).toMatch(/expired/);
  });

  it('rejects a key whose secret was altered (401)', async () => {
    const key = await createKey({ name: 'tampered', scopes: ['assessments:read'] });
    const altered = `${key.key.slice(0, -4)}${key.key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    await testApp.http().get(teams).set('Authorization', `Bearer ${altered}`).expect(401);
  });

  it('validates name, scopes and expiry', async () => {
    const invalid = async (body: object) =>
      (await testApp.http().post(keys).set(owner.auth).send(body).expect(400)).body.errors.map(
        (error: { field: string }) => error.field,
      );
    expect(await invalid({ name: 'x', scopes: [] })).toEqual(['scopes']);
    expect(await invalid({ name: 'x', scopes: ['teams:write'] })).toEqual(['scopes']);
    expect(await invalid({ name: 'x', scopes: ['reports:read', 'reports:read'] })).toEqual([
      'scopes',
    ]);
    expect(await invalid({ name: '', scopes: ['reports:read'] })).toEqual(['name']);
    expect(
      await invalid({ name: 'x', scopes: ['reports:read'], expiresAt: '2000-01-01T00:00:00Z' }),
    ).toEqual(['expiresAt']);
    expect(await invalid({ name: 'x', scopes: ['reports:read'], secret: 'mine' })).toEqual([
      'secret',
    ]);
  });

  it('is managed by owners and admins only', async () => {
    const admin = await joinedMember(testApp, owner, organizationId, 'admin');
    const assessor = await joinedMember(testApp, owner, organizationId, 'assessor');
    const byAdmin = await createKey({ name: 'admin key', scopes: ['reports:read'] }, admin);
    expect(byAdmin.prefix).toMatch(/^mmk_/);
    await testApp
      .http()
      .post(keys)
      .set(assessor.auth)
      .send({ name: 'mine', scopes: ['reports:read'] })
      .expect(403);
    await testApp.http().get(keys).set(assessor.auth).expect(403);
    await testApp.http().delete(`${keys}/${byAdmin.id}`).set(assessor.auth).expect(403);
  });
});
