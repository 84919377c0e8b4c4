import { createOrganization, SignedInUser, signUp } from './support/actors';
import { addMember, joinedMember } from './support/memberships';
import { startTestApp, TestApp } from './support/test-app';

describe('memberships', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const members = (organizationId: string) => `/v1/organizations/${organizationId}/members`;
  const roleOf = async (organizationId: string, user: SignedInUser) => {
    const me = await testApp.http().get('/v1/me').set(user.auth).expect(200);
    return me.body.memberships.find(
      (membership: { organizationId: string }) => membership.organizationId === organizationId,
    )?.role as string | undefined;
  };
  const changeRole = (organizationId: string, by: SignedInUser, userId: string, role: string) =>
    testApp
      .http()
      .patch(`${members(organizationId)}/${userId}`)
      .set(by.auth)
      .send({ role });
  const remove = (organizationId: string, by: SignedInUser, userId: string) =>
    testApp
      .http()
      .delete(`${members(organizationId)}/${userId}`)
      .set(by.auth);

  it('lists members with their roles, newest first, in cursor pages', async () => {
    const owner = await signUp(testApp, 'The Owner');
    const organizationId = await createOrganization(testApp, owner);
    const admin = await joinedMember(testApp, owner, organizationId, 'admin');
    const viewer = await joinedMember(testApp, owner, organizationId, 'viewer');

    // Every member may see who else belongs.
    const first = await testApp
      .http()
      .get(`${members(organizationId)}?limit=2`)
      .set(viewer.auth)
      .expect(200);
    expect(first.body.items).toEqual([
      {
        userId: viewer.id,
        email: viewer.email,
        name: 'A viewer',
        role: 'viewer',
        createdAt: expect.any(String),
      },
      expect.objectContaining({ userId: admin.id, role: 'admin' }),
    ]);
    const second = await testApp
      .http()
      .get(`${members(organizationId)}?limit=2&cursor=${first.body.nextCursor}`)
      .set(viewer.auth)
      .expect(200);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ userId: owner.id, name: 'The Owner', role: 'owner' })],
      nextCursor: null,
    });
    await testApp
      .http()
      .get(`${members(organizationId)}?cursor=junk`)
      .set(owner.auth)
      .expect(400);
  });

  it("changes a member's role and records it", async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const member = await joinedMember(testApp, owner, organizationId, 'member');
    const outsider = await signUp(testApp);

    const changed = await changeRole(organizationId, owner, member.id, 'assessor').expect(200);
    expect(changed.body).toMatchObject({
      userId: member.id,
      role: 'assessor',
      email: member.email,
    });
    expect(await roleOf(organizationId, member)).toBe('assessor');

    await changeRole(organizationId, owner, outsider.id, 'viewer').expect(404);
    await changeRole(organizationId, owner, 'not-a-uuid', 'viewer').expect(404);
    await changeRole(organizationId, owner, member.id, 'root').expect(400);
    // An assessor cannot manage members, not even themselves.
    await changeRole(organizationId, member, member.id, 'admin').expect(403);

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events?entityType=membership`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'member.role_changed',
      actorId: owner.id,
      entityId: member.id,
      changes: { role: { from: 'member', to: 'assessor' } },
    });
  });

  it('lets only owners grant or take away the owner role, and keeps the last owner', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const admin = await joinedMember(testApp, owner, organizationId, 'admin');
    const member = await joinedMember(testApp, owner, organizationId, 'member');

    await changeRole(organizationId, admin, member.id, 'owner').expect(403);
    await changeRole(organizationId, admin, admin.id, 'owner').expect(403);
    await changeRole(organizationId, admin, owner.id, 'admin').expect(403);
    expect(await roleOf(organizationId, owner)).toBe('owner');
    // Admins manage every other role.
    await changeRole(organizationId, admin, member.id, 'viewer').expect(200);

    const lastOwner = await changeRole(organizationId, owner, owner.id, 'admin').expect(409);
    expect(lastOwner.body).toMatchObject({ type: 'urn:mlops:problem:conflict' });
    expect(lastOwner.body.detail).toMatch(/last owner/);
    expect(await roleOf(organizationId, owner)).toBe('owner');

    await changeRole(organizationId, owner, admin.id, 'owner').expect(200);
    await changeRole(organizationId, owner, owner.id, 'admin').expect(200);
    // The promoted admin is now the only owner.
    await changeRole(organizationId, admin, admin.id, 'viewer').expect(409);
    expect(await roleOf(organizationId, admin)).toBe('owner');
  });

  it('keeps one owner when every owner steps down at the same moment', async () => {
    const founder = await signUp(testApp);
    const organizationId = await createOrganization(testApp, founder);
    const owners = [founder];
    for (let index = 0; index < 5; index += 1) {
      owners.push(await joinedMember(testApp, founder, organizationId, 'owner'));
    }

    // Each owner's check sees the others still there; only the row lock on the owners makes the
    // last of them wait, see the others gone, and refuse.
    const answers = await Promise.all(
      owners.map((owner) => changeRole(organizationId, owner, owner.id, 'admin')),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 409]);
    const list = await testApp.http().get(members(organizationId)).set(founder.auth).expect(200);
    expect(list.body.items.filter((item: { role: string }) => item.role === 'owner')).toHaveLength(
      1,
    );
  });

  it('lets any member leave, managers remove others, and keeps the last owner', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const admin = await joinedMember(testApp, owner, organizationId, 'admin');
    const viewer = await joinedMember(testApp, owner, organizationId, 'viewer');
    const member = await joinedMember(testApp, owner, organizationId, 'member');
    const outsider = await signUp(testApp);

    // A viewer may not remove anyone else, whether or not they are a member.
    await remove(organizationId, viewer, member.id).expect(403);
    await remove(organizationId, viewer, outsider.id).expect(403);
    expect(await roleOf(organizationId, member)).toBe('member');

    // ...but may leave.
    await remove(organizationId, viewer, viewer.id).expect(204);
    expect(await roleOf(organizationId, viewer)).toBeUndefined();
    await testApp.http().get(`/v1/organizations/${organizationId}`).set(viewer.auth).expect(404);

    await remove(organizationId, admin, member.id).expect(204);
    expect(await roleOf(organizationId, member)).toBeUndefined();
    await remove(organizationId, admin, member.id).expect(404);
    await remove(organizationId, admin, owner.id).expect(403);

    const lastOwner = await remove(organizationId, owner, owner.id).expect(409);
    expect(lastOwner.body.detail).toMatch(/last owner/);
    expect(await roleOf(organizationId, owner)).toBe('owner');

    // With a second owner, the first may go.
    await changeRole(organizationId, owner, admin.id, 'owner').expect(200);
    await remove(organizationId, owner, owner.id).expect(204);
    const remaining = await testApp.http().get(members(organizationId)).set(admin.auth).expect(200);
    expect(remaining.body.items).toEqual([
      expect.objectContaining({ userId: admin.id, role: 'owner' }),
    ]);

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events?entityType=membership`)
      .set(admin.auth)
      .expect(200);
    const actions = audit.body.items.map(
      (event: { action: string; actorId: string; entityId: string }) =>
        `${event.action}:${event.actorId === event.entityId ? 'self' : 'other'}`,
    );
    expect(actions.slice(0, 4)).toEqual([
      'member.left:self',
      'member.role_changed:other',
      'member.removed:other',
      'member.left:self',
    ]);
  });

  it("removes a departing member's team memberships with them", async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const member = await joinedMember(testApp, owner, organizationId, 'member');
    const teams = `/v1/organizations/${organizationId}/teams`;
    const team = await testApp
      .http()
      .post(teams)
      .set(owner.auth)
      .send({ name: 'Platform', slug: 'platform' })
      .expect(201);
    for (const user of [owner, member]) {
      await testApp
        .http()
        .put(`${teams}/${team.body.id}/members/${user.id}`)
        .set(owner.auth)
        .send({ role: 'member' })
        .expect(200);
    }

    await remove(organizationId, owner, member.id).expect(204);
    const teamMembers = await testApp
      .http()
      .get(`${teams}/${team.body.id}/members`)
      .set(owner.auth)
      .expect(200);
    expect(teamMembers.body.items.map((item: { userId: string }) => item.userId)).toEqual([
      owner.id,
    ]);

    // Coming back is a new membership: the old team places do not return.
    await addMember(testApp, owner, organizationId, member, 'member');
    const afterRejoin = await testApp
      .http()
      .get(`${teams}/${team.body.id}/members`)
      .set(owner.auth)
      .expect(200);
    expect(afterRejoin.body.items).toHaveLength(1);
  });
});
