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
