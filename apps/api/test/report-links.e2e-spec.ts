import { createHash } from 'node:crypto';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { joinedMember } from './support/memberships';
import { insertSnapshots } from './support/snapshots';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

describe('report share links', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;
  let alpha: string;
  let beta: string;
  const http = () => testApp.http();
  const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
    const team = async (name: string) =>
      (
        await http()
          .post(`${org}/teams`)
          .set(owner.auth)
          .send({ name, slug: name.toLowerCase() })
          .expect(201)
      ).body.id as string;
    alpha = await team('Alphateam');
    beta = await team('Betateam');
    await insertSnapshots(testApp, organizationId, [
      {
        teamId: alpha,
        dimensionKey: 'testing',
        score: 1,
        level: 1,
        recordedAt: '2026-02-01T00:00:00Z',
      },
      { teamId: alpha, dimensionKey: null, score: 1, level: 1, recordedAt: '2026-02-01T00:00:00Z' },
      {
        teamId: beta,
        dimensionKey: 'testing',
        score: 2,
        level: 2,
        recordedAt: '2026-02-01T00:00:00Z',
      },
      { teamId: beta, dimensionKey: null, score: 2, level: 2, recordedAt: '2026-02-01T00:00:00Z' },
    ]);
  });
  afterAll(() => testApp.close());

  async function share(parameters: object, expiresAt = inAMonth()) {
    const created = await http()
      .post(`${org}/report-links`)
      .set(owner.auth)
      .send({ report: 'trends', parameters, expiresAt })
      .expect(201);
    return created.body as { id: string; token: string; url: string };
  }
  const open = (token: string, query = '') =>
    http().get(`/v1/shared-reports/${encodeURIComponent(token)}${query}`);

  it('opens with no login and shows only what the link names', async () => {
    const link = await share({
      teamIds: [alpha],
      dimensions: ['overall'],
      from: '2026-01-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
    });
    expect(link.token).toMatch(new RegExp(`^mmr_${organizationId}\\.`));
    expect(link.url).toMatch(new RegExp(`/v1/shared-reports/${link.token.replace('.', '\\.')}$`));
    const page = await open(link.token).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.text).toContain('Alphateam');
    expect(page.text).not.toContain('Betateam');
    // The reader cannot widen the selection: the query string is not the link's.
    const widened = await open(link.token, `?teamIds=${beta}&dimensions=testing`).expect(200);
    expect(widened.text).not.toContain('Betateam');
    expect(widened.text).toBe(page.text);
    // Stored hashed: the secret is nowhere in the link's row, its SHA-256 is.
    const row = await withClient(testApp.database.adminUrl, async (client) => {
      const result = await client.query('SELECT * FROM report_links WHERE id = $1', [link.id]);
      return result.rows[0] as Record<string, unknown>;
    });
    expect(JSON.stringify(row)).not.toContain(link.token.split('.')[1]);
    expect(row.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));
  });

  it('answers 404 once revoked, expired, or for a token altered to another organization', async () => {
    const revoked = await share({ teamIds: [alpha] });
    await open(revoked.token).expect(200);
    await http().delete(`${org}/report-links/${revoked.id}`).set(owner.auth).expect(204);
    const gone = await open(revoked.token).expect(404);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    const listed = await http().get(`${org}/report-links`).set(owner.auth).expect(200);
    expect(
      listed.body.items.find((item: { id: string }) => item.id === revoked.id).revokedAt,
    ).not.toBeNull();

    const expiring = await share({}, new Date(Date.now() + 1500).toISOString());
    await open(expiring.token).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    await open(expiring.token).expect(404);

    const other = await signUp(testApp);
    const otherOrganization = await createOrganization(testApp, other);
    const live = await share({});
    await open(live.token.replace(organizationId, otherOrganization)).expect(404);
    await open(`${live.token}x`).expect(404);
    await open('mmr_not-a-token').expect(404);
    // Another organization's member cannot revoke it, under either organization.
    await http()
      .delete(`/v1/organizations/${otherOrganization}/report-links/${live.id}`)
      .set(other.auth)
      .expect(404);
    await http().delete(`${org}/report-links/${live.id}`).set(other.auth).expect(404);
    await open(live.token).expect(200);
  });

  it('refuses bad links with a problem and creates none', async () => {
    const before = (await http().get(`${org}/report-links?limit=100`).set(owner.auth)).body.items
      .length;
    const other = await signUp(testApp);
    const otherOrganization = await createOrganization(testApp, other);
    const foreignTeam = (
      await http()
        .post(`/v1/organizations/${otherOrganization}/teams`)
        .set(other.auth)
        .send({ name: 'Theirs', slug: 'theirs' })
        .expect(201)
    ).body.id;
    for (const [body, status] of [
      [{ report: 'trends', parameters: {}, expiresAt: '2020-01-01T00:00:00Z' }, 422],
      [{ report: 'trends', parameters: {}, expiresAt: '2099-01-01T00:00:00Z' }, 422],
      [{ report: 'trends', parameters: { teamIds: [foreignTeam] }, expiresAt: inAMonth() }, 404],
      [{ report: 'trends', parameters: { interval: 'day' }, expiresAt: inAMonth() }, 400],
      [{ report: 'roadmap', parameters: {}, expiresAt: inAMonth() }, 400],
      [{ report: 'trends', parameters: { teamIds: ['x'] }, expiresAt: inAMonth() }, 400],
      [
        {
          report: 'trends',
          parameters: { from: '2026-05-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
          expiresAt: inAMonth(),
        },
        400,
      ],
    ] as const) {
      const response = await http().post(`${org}/report-links`).set(owner.auth).send(body);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), status]);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const member = await joinedMember(testApp, owner, organizationId, 'member');
    await http()
      .post(`${org}/report-links`)
      .set(member.auth)
      .send({ report: 'trends', parameters: {}, expiresAt: inAMonth() })
      .expect(403);
    const after = (await http().get(`${org}/report-links?limit=100`).set(owner.auth)).body.items
      .length;
    expect(after).toBe(before);
  });
});
