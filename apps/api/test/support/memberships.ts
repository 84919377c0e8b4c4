import type { OrganizationRole } from '@app/common';
import { SignedInUser, signUp } from './actors';
import type { TestApp } from './test-app';

/** Invites `email` into the organization as `inviter` and returns the invitation (with token). */
export async function invite(
  testApp: TestApp,
  inviter: SignedInUser,
  organizationId: string,
  email: string,
  role: OrganizationRole,
): Promise<{ id: string; token: string; email: string; role: string; expiresAt: string }> {
  const response = await testApp
    .http()
    .post(`/v1/organizations/${organizationId}/invitations`)
    .set(inviter.auth)
    .send({ email, role })
    .expect(201);
  return response.body;
}

/** Brings an existing user into the organization with `role`, through invitation and acceptance. */
export async function addMember(
  testApp: TestApp,
  inviter: SignedInUser,
  organizationId: string,
  user: SignedInUser,
  role: OrganizationRole,
): Promise<void> {
  const { token } = await invite(testApp, inviter, organizationId, user.email, role);
  await testApp.http().post('/v1/invitations/accept').set(user.auth).send({ token }).expect(201);
}

/** Signs up a new user and makes them a member with `role`. */
export async function joinedMember(
  testApp: TestApp,
  owner: SignedInUser,
  organizationId: string,
  role: OrganizationRole,
): Promise<SignedInUser> {
  const user = await signUp(testApp, `A ${role}`);
  await addMember(testApp, owner, organizationId, user, role);
  return user;
}
