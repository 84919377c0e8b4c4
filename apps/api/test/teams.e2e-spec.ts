import { createOrganization, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';

describe('teams', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('creates, lists (cursor pages, newest first), renames and deletes teams', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const base = `/v1/organizations/${organizationId}/teams`;
    const created: string[] = [];
    for (const slug of ['alpha', 'beta', 'gamma']) {
      const response = await testApp
        .http()
        .post(base)
        .set(owner.auth)
        .send({ name: slug, slug })
        .expect(201);
      created.push(response.body.id);
    }
    const first = await testApp.http().get(`${base}?limit=2`).set(owner.auth).expect(200);
    expect(first.body.items.map((team: { slug: string }) => team.slug)).toEqual(['gamma', 'beta']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // A team created between pages does not shift the next page.
    await testApp
      .http()
      .post(base)
      .set(owner.auth)
      .send({ name: 'delta', slug: 'delta' })
      .expect(201);
    const second = await testApp
      .http()
      .get(`${base}?limit=2&cursor=${first.body.nextCursor}`)
      .set(owner.auth)
      .expect(200);
    expect(second.body.items.map((team: { slug: string }) => team.slug)).toEqual(['alpha']);
    expect(second.body.nextCursor).toBeNull();

    await testApp
      .http()
      .patch(`${base}/${created[0]}`)
      .set(owner.auth)
      .send({ name: 'Alpha One' })
      .expect(200);
    await testApp.http().post(base).set(owner.auth).send({ name: 'dup', slug: 'beta' }).expect(409);
    await testApp.http().delete(`${base}/${created[1]}`).set(owner.auth).expect(204);
    await testApp.http().get(`${base}/${created[1]}`).set(owner.auth).expect(404);
    await testApp.http().get(`${base}/not-a-uuid`).set(owner.auth).expect(404);
    await testApp.http().get(`${base}?cursor=garbage`).set(owner.auth).expect(400);
  });

  it('adds only organization members to a team', async () => {
    const owner = await signUp(testApp);
    const outsider = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const base = `/v1/organizations/${organizationId}/teams`;
    const team = await testApp
      .http()
      .post(base)
      .set(owner.auth)
      .send({ name: 'ML', slug: 'ml' })
      .expect(201);
    const added = await testApp
      .http()
      .put(`${base}/${team.body.id}/members/${owner.id}`)
      .set(owner.auth)
      .send({ role: 'lead' })
      .expect(200);
    // The same member shape as the list (it used to lack email and name).
    expect(added.body).toEqual({
      userId: owner.id,
      role: 'lead',
      email: owner.email,
      name: 'Test User',
      createdAt: expect.any(String),
    });
    await testApp
      .http()
      .put(`${base}/${team.body.id}/members/${outsider.id}`)
      .set(owner.auth)
      .send({ role: 'member' })
      .expect(404);
    const members = await testApp
      .http()
      .get(`${base}/${team.body.id}/members`)
      .set(owner.auth)
      .expect(200);
    expect(members.body.items).toEqual([
      expect.objectContaining({ userId: owner.id, role: 'lead', email: owner.email }),
    ]);
    expect(members.body.items).toEqual([added.body]);
    await testApp
      .http()
      .delete(`${base}/${team.body.id}/members/${owner.id}`)
      .set(owner.auth)
      .expect(204);
    await testApp
      .http()
      .delete(`${base}/${team.body.id}/members/${owner.id}`)
      .set(owner.auth)
      .expect(404);
  });
});
