import { randomBytes } from 'node:crypto';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import type { SignedInUser } from './actors';
import { joinedMember } from './memberships';
import type { TestApp } from './test-app';
import { withClient } from './test-database';

export const DEFAULT_MODEL_VERSION = builtinVersionId('mlops-maturity', 1);

/** A team with `size` new members (role member), made through the API. */
export async function teamWithMembers(
  testApp: TestApp,
  owner: SignedInUser,
  organizationId: string,
  size: number,
): Promise<{ teamId: string; members: SignedInUser[] }> {
  const org = `/v1/organizations/${organizationId}`;
  const slug = `team-${randomBytes(5).toString('hex')}`;
  const team = await testApp
    .http()
    .post(`${org}/teams`)
    .set(owner.auth)
    .send({ name: `Team ${slug}`, slug })
    .expect(201);
  const members: SignedInUser[] = [];
  for (let i = 0; i < size; i++) {
    const member = await joinedMember(testApp, owner, organizationId, 'member');
    await testApp
      .http()
      .put(`${org}/teams/${team.body.id}/members/${member.id}`)
      .set(owner.auth)
      .send({ role: 'member' })
      .expect(200);
    members.push(member);
  }
  return { teamId: team.body.id, members };
}

/** A campaign body open since a minute ago for an hour (launch opens it at once). */
export function campaignBody(teamIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    name: 'Quarterly self-assessment',
    modelVersionId: DEFAULT_MODEL_VERSION,
    teamIds,
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    aggregation: { rule: 'majority' },
    anonymous: false,
    ...overrides,
  };
}

/** Moves a campaign's deadline into the past, as time passing would (the worker then closes it). */
export function passDeadline(testApp: TestApp, campaignId: string): Promise<void> {
  return withClient(testApp.database.adminUrl, async (client) => {
    await client.query(
      `UPDATE campaigns SET opens_at = now() - interval '2 hours', closes_at = now() - interval '1 second'
        WHERE id = $1`,
      [campaignId],
    );
  });
}

/** Saves `answers` as `member` (If-Match from a fresh read) and submits. */
export async function answerAndSubmit(
  testApp: TestApp,
  member: SignedInUser,
  path: string,
  answers: { criterionKey: string; status: string; note?: string }[],
): Promise<void> {
  const read = await testApp.http().get(path).set(member.auth).expect(200);
  const saved = await testApp
    .http()
    .put(path)
    .set(member.auth)
    .set('If-Match', read.headers.etag as string)
    .send({ answers })
    .expect(200);
  await testApp
    .http()
    .post(`${path}/submit`)
    .set(member.auth)
    .set('If-Match', saved.headers.etag as string)
    .expect(200);
}
