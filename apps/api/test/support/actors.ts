import { builtinVersionId } from '@app/database/builtin-catalogue';
import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

export interface SignedInUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** Signs up a fresh user (unique email per call), so every test builds its own tenants. */
export async function signUp(testApp: TestApp, name = 'Test User'): Promise<SignedInUser> {
  const email = `user-${randomBytes(6).toString('hex')}@example.com`;
  const password = 'correct horse battery staple';
  const response = await testApp
    .http()
    .post('/v1/auth/signup')
    .send({ email, password, name })
    .expect(201);
  return {
    id: response.body.user.id,
    email,
    password,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
    auth: { Authorization: `Bearer ${response.body.accessToken}` },
  };
}

/** Creates an organization owned by `owner` and returns its id. */
export async function createOrganization(testApp: TestApp, owner: SignedInUser): Promise<string> {
  const slug = `org-${randomBytes(5).toString('hex')}`;
  const response = await testApp
    .http()
    .post('/v1/organizations')
    .set(owner.auth)
    .send({ name: `Organization ${slug}`, slug })
    .expect(201);
  return response.body.id;
}

/** Creates a team in the organization and starts a draft assessment of it on the built-in model. */
export async function createTeamWithDraft(
  testApp: TestApp,
  owner: SignedInUser,
  organizationId: string,
): Promise<{ teamId: string; draft: { id: string; etag: string; result: unknown } }> {
  const org = `/v1/organizations/${organizationId}`;
  const slug = `team-${randomBytes(5).toString('hex')}`;
  const team = await testApp
    .http()
    .post(`${org}/teams`)
    .set(owner.auth)
    .send({ name: `Team ${slug}`, slug })
    .expect(201);
  const draft = await testApp
    .http()
    .post(`${org}/teams/${team.body.id}/assessments`)
    .set(owner.auth)
    .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
    .expect(201);
  return { teamId: team.body.id, draft: draft.body };
}
