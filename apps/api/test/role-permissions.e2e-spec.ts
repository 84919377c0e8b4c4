import { randomBytes } from 'node:crypto';
import type { Test } from 'supertest';
import { ORGANIZATION_ROLES, OrganizationRole, Permission, PERMISSIONS } from '@app/common';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { addMember } from './support/memberships';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The role table, run over HTTP: every role attempts every kind of write (and reading the audit
 * log), each in an organization of its own so no attempt depends on another. The expectations
 * come from PERMISSIONS itself, so the table and the routes cannot drift apart; the spot checks at
 * the end are written out by hand, so a table that allowed everything would not pass either.
 */

interface World {
  organizationId: string;
  actor: SignedInUser;
  /** A plain member to act on. */
  target: SignedInUser;
  teamId: string;
}

interface WriteKind {
  permission: Permission;
  success: number;
  attempt(world: World): Test;
}

describe('the role table', () => {
  let testApp: TestApp;
  let founder: SignedInUser;
  let target: SignedInUser;
  const actors = {} as Record<OrganizationRole, SignedInUser>;

  beforeAll(async () => {
    testApp = await startTestApp();
    founder = await signUp(testApp, 'Founder');
    target = await signUp(testApp, 'Target');
    for (const role of ORGANIZATION_ROLES) actors[role] = await signUp(testApp, `An ${role}`);
  });
  afterAll(() => testApp.close());

  const org = (world: World) => `/v1/organizations/${world.organizationId}`;
  const http = () => testApp.http();
  const unique = () => randomBytes(4).toString('hex');

  const WRITES: Record<string, WriteKind> = {
    'update the organization': {
      permission: 'organization:update',
      success: 200,
      attempt: (w) => http().patch(org(w)).set(w.actor.auth).send({ name: 'Renamed' }),
    },
    'delete the organization': {
      permission: 'organization:delete',
      success: 204,
      attempt: (w) => http().delete(org(w)).set(w.actor.auth),
    },
    'create a team': {
      permission: 'teams:write',
      success: 201,
      attempt: (w) =>
        http()
          .post(`${org(w)}/teams`)
          .set(w.actor.auth)
          .send({ name: 'New', slug: unique() }),
    },
    'update a team': {
      permission: 'teams:write',
      success: 200,
      attempt: (w) =>
        http()
          .patch(`${org(w)}/teams/${w.teamId}`)
          .set(w.actor.auth)
          .send({ name: 'Renamed' }),
    },
    'delete a team': {
      permission: 'teams:write',
      success: 204,
      attempt: (w) =>
        http()
          .delete(`${org(w)}/teams/${w.teamId}`)
          .set(w.actor.auth),
    },
    'put a team member': {
      permission: 'teams:write',
      success: 200,
      attempt: (w) =>
        http()
          .put(`${org(w)}/teams/${w.teamId}/members/${w.target.id}`)
          .set(w.actor.auth)
          .send({ role: 'lead' }),
    },
    'invite someone': {
      permission: 'invitations:manage',
      success: 201,
      attempt: (w) =>
        http()
          .post(`${org(w)}/invitations`)
          .set(w.actor.auth)
          .send({ email: `${unique()}@example.com`, role: 'viewer' }),
    },
    "change a member's role": {
      permission: 'members:manage',
      success: 200,
      attempt: (w) =>
        http()
          .patch(`${org(w)}/members/${w.target.id}`)
          .set(w.actor.auth)
          .send({ role: 'viewer' }),
    },
    'remove another member': {
      permission: 'members:manage',
      success: 204,
      attempt: (w) =>
        http()
          .delete(`${org(w)}/members/${w.target.id}`)
          .set(w.actor.auth),
    },
    'create an API key': {
      permission: 'api-keys:manage',
      success: 201,
      attempt: (w) =>
        http()
          .post(`${org(w)}/api-keys`)
          .set(w.actor.auth)
          .send({ name: 'key', scopes: ['assessments:read'] }),
    },
    'read the audit log': {
      permission: 'audit:read',
      success: 200,
      attempt: (w) =>
        http()
          .get(`${org(w)}/audit-events`)
          .set(w.actor.auth),
    },
  };

  /** A fresh organization in which `role`'s user joined by invitation, with a team and a member. */
  async function worldFor(role: OrganizationRole): Promise<World> {
    const organizationId = await createOrganization(testApp, founder);
    await addMember(testApp, founder, organizationId, actors[role], role);
    await addMember(testApp, founder, organizationId, target, 'member');
    const team = await http()
      .post(`/v1/organizations/${organizationId}/teams`)
      .set(founder.auth)
      .send({ name: 'Team', slug: 'team' })
      .expect(201);
    return { organizationId, actor: actors[role], target, teamId: team.body.id };
  }

  async function attempt(kind: string, role: OrganizationRole): Promise<number> {
    const world = await worldFor(role);
    const response = await WRITES[kind].attempt(world);
    if (response.status === 403) {
      expect(response.body.type).toBe('urn:mlops:problem:forbidden');
    }
    return response.status;
  }

  const cases = Object.keys(WRITES).flatMap((kind) =>
    ORGANIZATION_ROLES.map((role) => [kind, role] as const),
  );

  it.each(cases)('%s as %s: allowed exactly when PERMISSIONS says so', async (kind, role) => {
    const { permission, success } = WRITES[kind];
    const allowed = (PERMISSIONS[permission].roles as readonly OrganizationRole[]).includes(role);
    expect(await attempt(kind, role)).toBe(allowed ? success : 403);
  });

  it.each([
    ['create a team', 'viewer', 403],
    ['create a team', 'admin', 201],
    ['create an API key', 'assessor', 403],
    ['create an API key', 'admin', 201],
    ['delete the organization', 'admin', 403],
    ['delete the organization', 'owner', 204],
    ['invite someone', 'member', 403],
    ["change a member's role", 'assessor', 403],
    ['remove another member', 'viewer', 403],
    ['read the audit log', 'member', 403],
    ['read the audit log', 'admin', 200],
  ] as const)('spot check: %s as %s answers %d', async (kind, role, status) => {
    expect(await attempt(kind, role)).toBe(status);
  });
});
