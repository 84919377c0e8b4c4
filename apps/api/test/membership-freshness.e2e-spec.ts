import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@app/common';
import { createApp } from '../src/create-app';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { joinedMember } from './support/memberships';
import { startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

/**
 * The membership check of a tenant read runs inside the read's own transaction (one round trip
 * for the teams list), and nothing caches a membership or a role: a removal or a role change
 * takes effect on the very next request, on every replica. Two API processes ("replicas") share
 * one database here.
 */
describe('membership and role changes take effect on the very next request', () => {
  let testApp: TestApp;
  let replica: NestFastifyApplication;
  let owner: SignedInUser;
  let organizationId: string;
  let teamId: string;

  const onA = () => testApp.http();
  const onB = () => request(replica.getHttpServer());
  const teams = () => `/v1/organizations/${organizationId}/teams`;

  beforeAll(async () => {
    testApp = await startTestApp();
    const { app } = await createApp({
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        JWT_SECRET: TEST_JWT_SECRET,
        DATABASE_POOL_MAX: '3',
      }),
      connections: {
        applicationUrl: testApp.database.applicationUrl,
        migrationUrl: testApp.database.migrationUrl,
      },
      runWorkers: false,
      jwtSigningKey: TEST_JWT_SECRET,
    });
    replica = app;
    await replica.init();
    await replica.getHttpAdapter().getInstance().ready();
    owner = await signUp(testApp, 'Owner');
    organizationId = await createOrganization(testApp, owner);
    const team = await onA()
      .post(teams())
      .set(owner.auth)
      .send({ name: 'Platform', slug: 'platform' })
      .expect(201);
    teamId = team.body.id;
  });
  afterAll(async () => {
    await replica?.close();
    await testApp?.close();
  });

  function expectNotFoundProblem(response: request.Response) {
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The organization is what is not found: nothing about its teams, never data.
    expect(response.body.detail).toBe('Organization was not found.');
    expect(response.body.items).toBeUndefined();
  }

  it('a removed member gets 404 on the next read and write, on both replicas', async () => {
    const member = await joinedMember(testApp, owner, organizationId, 'member');
    const before = await onB().get(teams()).set(member.auth).expect(200);
    expect(before.body.items.map((team: { id: string }) => team.id)).toEqual([teamId]);
    await onA().get(teams()).set(member.auth).expect(200);

    await onA()
      .delete(`/v1/organizations/${organizationId}/members/${member.id}`)
      .set(owner.auth)
      .expect(204);

    expectNotFoundProblem(await onB().get(teams()).set(member.auth));
    expectNotFoundProblem(await onA().get(teams()).set(member.auth));
    expectNotFoundProblem(await onB().get(`${teams()}/${teamId}`).set(member.auth));
    expectNotFoundProblem(
      await onB().post(teams()).set(member.auth).send({ name: 'X', slug: 'x-removed' }),
    );
  });

  it('a role change takes effect on the next request, on both replicas', async () => {
    const admin = await joinedMember(testApp, owner, organizationId, 'admin');
    const audit = `/v1/organizations/${organizationId}/audit-events`;
    await onB().get(audit).set(admin.auth).expect(200);

    await onA()
      .patch(`/v1/organizations/${organizationId}/members/${admin.id}`)
      .set(owner.auth)
      .send({ role: 'viewer' })
      .expect(200);

    const refused = await onB().get(audit).set(admin.auth).expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toContain('viewer');
    await onB().post(teams()).set(admin.auth).send({ name: 'Y', slug: 'y-viewer' }).expect(403);
    // A viewer still reads teams (the one-round-trip read, with the role proven in it).
    await onB().get(teams()).set(admin.auth).expect(200);

    await onB()
      .patch(`/v1/organizations/${organizationId}/members/${admin.id}`)
      .set(owner.auth)
      .send({ role: 'admin' })
      .expect(200);
    await onA().get(audit).set(admin.auth).expect(200);
    await onA().post(teams()).set(admin.auth).send({ name: 'Z', slug: 'z-admin' }).expect(201);
  });

  it('the one-round-trip read answers 404 to non-members and for foreign or unknown organizations', async () => {
    const outsider = await signUp(testApp, 'Outsider');
    const ownOrganization = await createOrganization(testApp, outsider);
    await onA().get(`/v1/organizations/${ownOrganization}/teams`).set(outsider.auth).expect(200);

    expectNotFoundProblem(await onA().get(teams()).set(outsider.auth));
    expectNotFoundProblem(await onB().get(`${teams()}?limit=1`).set(outsider.auth));
    expectNotFoundProblem(
      await onA().get(`/v1/organizations/${randomUUID()}/teams`).set(outsider.auth),
    );
    expectNotFoundProblem(await onA().get('/v1/organizations/not-a-uuid/teams').set(outsider.auth));
    // A non-member learns nothing from validation either: 404 before any 400.
    expectNotFoundProblem(await onA().get(`${teams()}?limit=0`).set(outsider.auth));
    expectNotFoundProblem(await onA().get(`${teams()}?cursor=bm9wZQ`).set(outsider.auth));
    await onA().get(`${teams()}?limit=0`).set(owner.auth).expect(400);
    await onA().get(`${teams()}?cursor=bm9wZQ`).set(owner.auth).expect(400);

    // API keys: another organization's key finds nothing here; this organization's key reads.
    const keyOfOutsider = await onA()
      .post(`/v1/organizations/${ownOrganization}/api-keys`)
      .set(outsider.auth)
      .send({ name: 'outsider', scopes: ['assessments:read'] })
      .expect(201);
    const foreignKey = { Authorization: `Bearer ${keyOfOutsider.body.key}` };
    expectNotFoundProblem(await onA().get(teams()).set(foreignKey));
    const keyOfOwner = await onA()
      .post(`/v1/organizations/${organizationId}/api-keys`)
      .set(owner.auth)
      .send({ name: 'reader', scopes: ['assessments:read'] })
      .expect(201);
    const read = await onB()
      .get(teams())
      .set({ Authorization: `Bearer ${keyOfOwner.body.key}` })
      .expect(200);
    expect(read.body.items.map((team: { id: string }) => team.id)).toContain(teamId);
  });

  it('a deleted organization answers 404 to its former members on the next read', async () => {
    const founder = await signUp(testApp, 'Founder');
    const doomed = await createOrganization(testApp, founder);
    await onA().get(`/v1/organizations/${doomed}/teams`).set(founder.auth).expect(200);
    await onA().delete(`/v1/organizations/${doomed}`).set(founder.auth).expect(204);
    expectNotFoundProblem(await onB().get(`/v1/organizations/${doomed}/teams`).set(founder.auth));
  });
});
