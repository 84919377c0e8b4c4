import { hashSecret } from '@app/common';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { addMember, invite, joinedMember } from './support/memberships';
import { withClient } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

describe('invitations', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const accept = (token: string, user: SignedInUser) =>
    testApp.http().post('/v1/invitations/accept').set(user.auth).send({ token });

  const sql = <Row extends object>(text: string, values: unknown[] = []) =>
    withClient(
      testApp.database.adminUrl,
      async (client) => (await client.query<Row>(text, values)).rows,
    );

  it('invites by email, stores only the token hash, and the invitee joins with that role', async () => {
    const owner = await signUp(testApp);
    const invitee = await signUp(testApp, 'Invited Person');
    const organizationId = await createOrganization(testApp, owner);
    const before = Date.now();
    // The address as the inviter typed it: matched case-insensitively.
    const invitation = await invite(
      testApp,
      owner,
      organizationId,
      `  ${invitee.email.toUpperCase()} `,
      'assessor',
    );
    expect(invitation).toMatchObject({ email: invitee.email, role: 'assessor' });
    expect(invitation.token).toBe(`mmi_${organizationId}.${invitation.token.split('.')[1]}`);
    expect(invitation.token.split('.')[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = new Date(invitation.expiresAt).getTime() - before;
    expect(lifetime).toBeGreaterThan((testApp.config.INVITATION_TTL_SECONDS - 60) * 1000);
    expect(lifetime).toBeLessThanOrEqual((testApp.config.INVITATION_TTL_SECONDS + 60) * 1000);

    const [stored] = await sql<{ token_hash: string }>(
      'SELECT token_hash FROM invitations WHERE id = $1',
      [invitation.id],
    );
    expect(stored.token_hash).toBe(hashSecret(invitation.token));

    const pending = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/invitations`)
      .set(owner.auth)
      .expect(200);
    expect(pending.body.items).toEqual([
      expect.objectContaining({ id: invitation.id, email: invitee.email, invitedById: owner.id }),
    ]);
    expect(JSON.stringify(pending.body)).not.toContain(invitation.token.split('.')[1]);

    const accepted = await accept(invitation.token, invitee).expect(201);
    expect(accepted.body).toEqual({ organizationId, role: 'assessor' });
    const me = await testApp.http().get('/v1/me').set(invitee.auth).expect(200);
    expect(me.body.memberships).toEqual([{ organizationId, role: 'assessor' }]);
    await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/teams`)
      .set(invitee.auth)
      .expect(200);

    // Used: it cannot admit anyone again, and it is no longer pending.
    await accept(invitation.token, invitee).expect(410);
    const afterwards = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/invitations`)
      .set(owner.auth)
      .expect(200);
    expect(afterwards.body.items).toEqual([]);

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events?entityType=membership`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'member.joined',
        actorType: 'user',
        actorId: invitee.id,
        entityId: invitee.id,
        changes: { role: 'assessor', invitationId: invitation.id },
      }),
    ]);
    const created = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events?entityType=invitation`)
      .set(owner.auth)
      .expect(200);
    expect(created.body.items[0]).toMatchObject({
      action: 'invitation.created',
      actorId: owner.id,
    });
    expect(JSON.stringify(created.body)).not.toContain(invitation.token.split('.')[1]);
  });

  it('answers 404 to anyone but the invitee, and to malformed or forged tokens', async () => {
    const owner = await signUp(testApp);
    const invitee = await signUp(testApp);
    const stranger = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const { token } = await invite(testApp, owner, organizationId, invitee.email, 'member');

    const wrongEmail = await accept(token, stranger).expect(404);
    expect(wrongEmail.body.type).toBe('urn:mlops:problem:not-found');
    const [organizationPart, secret] = token.split('.');
    await accept(`${organizationPart}.${secret.slice(0, -4)}AAAA`, invitee).expect(404);
    await accept('mmi_not-a-token', invitee).expect(404);
    // Naming another organization runs the lookup in that tenant, where the invitation is not.
    const otherOrganization = await createOrganization(testApp, stranger);
    await accept(`mmi_${otherOrganization}.${secret}`, invitee).expect(404);
    await testApp.http().post('/v1/invitations/accept').send({ token }).expect(401);
    // The old form, the token in the URL (where logs keep it), is gone.
    await testApp.http().post(`/v1/invitations/${token}/accept`).set(invitee.auth).expect(404);
    await testApp.http().post('/v1/invitations/accept').set(invitee.auth).send({}).expect(400);

    // None of that used the invitation up.
    await accept(token, invitee).expect(201);
    await testApp.http().get(`/v1/organizations/${organizationId}`).set(stranger.auth).expect(404);
  });

  it('answers 410 for an expired invitation', async () => {
    const owner = await signUp(testApp);
    const invitee = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const invitation = await invite(testApp, owner, organizationId, invitee.email, 'viewer');
    await sql(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      invitation.id,
    ]);

    const gone = await accept(invitation.token, invitee).expect(410);
    expect(gone.body).toMatchObject({ type: 'urn:mlops:problem:gone' });
    expect(gone.body.detail).toMatch(/expired/);
    const me = await testApp.http().get('/v1/me').set(invitee.auth).expect(200);
    expect(me.body.memberships).toEqual([]);
    const pending = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/invitations`)
      .set(owner.auth)
      .expect(200);
    expect(pending.body.items).toEqual([]);
  });

  it('answers 404 once the organization was deleted', async () => {
    const owner = await signUp(testApp);
    const invitee = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const { token } = await invite(testApp, owner, organizationId, invitee.email, 'member');
    await testApp.http().delete(`/v1/organizations/${organizationId}`).set(owner.auth).expect(204);

    await accept(token, invitee).expect(404);
    const me = await testApp.http().get('/v1/me').set(invitee.auth).expect(200);
    expect(me.body.memberships).toEqual([]);
  });

  it('lets only owners invite owners', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const admin = await joinedMember(testApp, owner, organizationId, 'admin');
    const candidate = await signUp(testApp);

    const refused = await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/invitations`)
      .set(admin.auth)
      .send({ email: candidate.email, role: 'owner' })
      .expect(403);
    expect(refused.body.detail).toMatch(/owner/);
    // Admins may invite every other role.
    await invite(testApp, admin, organizationId, `${candidate.email}`, 'admin');

    await addMember(testApp, owner, organizationId, candidate, 'owner');
    const mine = await testApp.http().get('/v1/organizations').set(candidate.auth).expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ id: organizationId, role: 'owner' }),
    ]);
  });

  it('refuses to invite or admit someone who is already a member (409)', async () => {
    const owner = await signUp(testApp);
    const invitee = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const first = await invite(testApp, owner, organizationId, invitee.email, 'viewer');
    const second = await invite(testApp, owner, organizationId, invitee.email, 'member');
    await accept(second.token, invitee).expect(201);

    await accept(first.token, invitee).expect(409);
    await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/invitations`)
      .set(owner.auth)
      .send({ email: invitee.email, role: 'admin' })
      .expect(409);
    const me = await testApp.http().get('/v1/me').set(invitee.auth).expect(200);
    expect(me.body.memberships).toEqual([{ organizationId, role: 'member' }]);
  });

  it('revokes a pending invitation: its token stops working', async () => {
    const owner = await signUp(testApp);
    const invitee = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const base = `/v1/organizations/${organizationId}/invitations`;
    const invitation = await invite(testApp, owner, organizationId, invitee.email, 'member');

    await testApp.http().delete(`${base}/${invitation.id}`).set(owner.auth).expect(204);
    await accept(invitation.token, invitee).expect(404);
    await testApp.http().delete(`${base}/${invitation.id}`).set(owner.auth).expect(404);
    await testApp.http().delete(`${base}/not-a-uuid`).set(owner.auth).expect(404);
    const pending = await testApp.http().get(base).set(owner.auth).expect(200);
    expect(pending.body.items).toEqual([]);

    // An accepted invitation is a membership now: it is removed as a member, not revoked.
    const used = await invite(testApp, owner, organizationId, invitee.email, 'member');
    await accept(used.token, invitee).expect(201);
    await testApp.http().delete(`${base}/${used.id}`).set(owner.auth).expect(409);

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events?entityType=invitation`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual([
      'invitation.created',
      'invitation.revoked',
      'invitation.created',
    ]);
  });

  it('validates the invitation body and pages pending invitations', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const base = `/v1/organizations/${organizationId}/invitations`;
    const invalid = await testApp
      .http()
      .post(base)
      .set(owner.auth)
      .send({ email: 'not-an-email', role: 'superuser' })
      .expect(400);
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'email',
      'role',
    ]);
    for (const name of ['a', 'b', 'c']) {
      await invite(
        testApp,
        owner,
        organizationId,
        `${name}-${organizationId}@example.com`,
        'viewer',
      );
    }
    const first = await testApp.http().get(`${base}?limit=2`).set(owner.auth).expect(200);
    expect(first.body.items.map((item: { email: string }) => item.email[0])).toEqual(['c', 'b']);
    const second = await testApp
      .http()
      .get(`${base}?limit=2&cursor=${first.body.nextCursor}`)
      .set(owner.auth)
      .expect(200);
    expect(second.body.items.map((item: { email: string }) => item.email[0])).toEqual(['a']);
    expect(second.body.nextCursor).toBeNull();
  });
});
