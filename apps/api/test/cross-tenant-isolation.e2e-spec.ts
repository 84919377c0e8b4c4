import { createOrganization, SignedInUser, signUp } from './support/actors';
import { sendGithub } from './support/ci-webhooks';
import { issueResponseToken } from '../src/modules/campaigns/response-token';
import { campaignBody } from './support/campaigns';
import { RegisteredRoute, startTestApp, TestApp } from './support/test-app';

/**
 * Every route that names an organization or a tenant-owned record, discovered from the running
 * app's router (not a hand-kept list: a new route is covered the day it is added), called by a
 * member of organization B with organization A's ids. Each must answer 404: never 403, never data.
 */
describe('cross-tenant isolation (router-driven)', () => {
  const routes: RegisteredRoute[] = [];
  let testApp: TestApp;
  let ownerA: SignedInUser;
  let ownerB: SignedInUser;
  let idsOfA: Record<string, string>;
  let organizationB: string;
  let apiKeyOfB: string;

  /** Request bodies that pass validation, so a handler (not the validator) answers. */
  const sampleBodies: Record<string, (ids: Record<string, string>) => object> = {
    'PATCH /v1/organizations/:orgId': () => ({ name: 'Taken over' }),
    'PATCH /v1/organizations/:orgId/teams/:teamId': () => ({ name: 'Taken over' }),
    'PUT /v1/organizations/:orgId/teams/:teamId/members/:userId': () => ({ role: 'member' }),
    'PATCH /v1/organizations/:orgId/members/:userId': () => ({ role: 'viewer' }),
    'POST /v1/organizations/:orgId/teams/:teamId/assessments': (ids) => ({
      modelVersionId: ids.builtinVersionId,
    }),
    'PUT /v1/organizations/:orgId/assessments/:assessmentId/answers': (ids) => ({
      answers: [{ criterionKey: ids.criterionKey, status: 'met' }],
    }),
    'PATCH /v1/organizations/:orgId/maturity-models/:modelId': () => ({ name: 'Taken over' }),
    'PATCH /v1/organizations/:orgId/integrations/:integrationId': () => ({ name: 'Taken over' }),
    'PUT /v1/organizations/:orgId/campaigns/:campaignId/my-response': (ids) => ({
      answers: [{ criterionKey: ids.criterionKey, status: 'met' }],
    }),
    'PATCH /v1/organizations/:orgId/webhook-endpoints/:endpointId': () => ({
      url: 'https://attacker.example.com/',
    }),
    'PUT /v1/campaign-responses/:responseToken': (ids) => ({
      answers: [{ criterionKey: ids.criterionKey, status: 'met' }],
    }),
    'POST /v1/organizations/:orgId/teams/:teamId/roadmaps': () => ({
      targetLevels: { testing: 2 },
    }),
    'POST /v1/organizations/:orgId/report-links': (ids) => ({
      report: 'trends',
      parameters: { teamIds: [ids.teamId] },
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
    'PATCH /v1/organizations/:orgId/teams/:teamId/roadmaps/:roadmapId/items/:itemId': () => ({
      status: 'done',
    }),
  };
  /** Query strings the same routes need to get past validation. */
  const sampleQueries: Record<string, (ids: Record<string, string>) => string> = {
    'GET /v1/organizations/:orgId/assessments/:assessmentId/diff': (ids) =>
      `?against=${ids.otherAssessmentId}`,
    // A's team named under B's organization must be a 404 too, not "every team of B".
    'GET /v1/organizations/:orgId/reports/trends': (ids) => `?teamIds=${ids.teamId}`,
    'GET /v1/organizations/:orgId/reports/trends.svg': (ids) => `?teamIds=${ids.teamId}`,
    'GET /v1/organizations/:orgId/reports/trends.html': (ids) => `?teamIds=${ids.teamId}`,
    'GET /v1/organizations/:orgId/reports/report-card': (ids) => `?teamIds=${ids.teamId}`,
    'GET /v1/organizations/:orgId/reports/report-card.svg': (ids) => `?teamIds=${ids.teamId}`,
  };

  beforeAll(async () => {
    testApp = await startTestApp({}, { onRoute: (route) => routes.push(route) });
    ownerA = await signUp(testApp, 'Owner A');
    ownerB = await signUp(testApp, 'Owner B');
    const organizationA = await createOrganization(testApp, ownerA);
    organizationB = await createOrganization(testApp, ownerB);
    idsOfA = await buildTenant(testApp, ownerA, organizationA);
    const keyOfB = await testApp
      .http()
      .post(`/v1/organizations/${organizationB}/api-keys`)
      .set(ownerB.auth)
      .send({
        name: 'B automation',
        scopes: ['assessments:read', 'assessments:write', 'reports:read', 'evidence:write'],
      })
      .expect(201);
    apiKeyOfB = keyOfB.body.key;
  });
  afterAll(() => testApp.close());

  /**
   * The webhook ingest is the one route with an id that is not behind a tenant's credentials: its
   * caller proves itself by the signature alone (ci-evidence.e2e-spec covers unknown ids, bad
   * signatures and that neither stores anything).
   */
  const SIGNATURE_ONLY = ['/v1/hooks/:integrationId'];

  function tenantRoutes(): RegisteredRoute[] {
    return routes.filter(
      (route) =>
        route.url.includes(':') &&
        !SIGNATURE_ONLY.includes(route.url) &&
        !['HEAD', 'OPTIONS'].includes(route.method),
    );
  }

  function fill(url: string, ids: Record<string, string>): string {
    return url.replace(/:(\w+)/g, (_match, name: string) => {
      // Two resources name their deliveries `deliveryId`: each route gets its own kind.
      const key =
        name === 'deliveryId' && url.includes('/integrations/') ? 'integrationDeliveryId' : name;
      if (!(key in ids)) throw new Error(`No fixture for path parameter :${name} in ${url}`);
      return encodeURIComponent(ids[key]);
    });
  }

  async function call(route: RegisteredRoute, ids: Record<string, string>, auth: string) {
    const key = `${route.method} ${route.url}`;
    const path = fill(route.url, ids) + (sampleQueries[key]?.(ids) ?? '');
    const agent = testApp.http();
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const request = agent[method](path).set('Authorization', auth);
    const body = sampleBodies[key]?.(ids);
    const response = await (body && route.method !== 'GET' && route.method !== 'DELETE'
      ? request.send(body)
      : request);
    return { key, path, status: response.status, body: response.body };
  }

  it('discovers the tenant routes from the router', () => {
    const discovered = tenantRoutes().map((route) => `${route.method} ${route.url}`);
    expect(discovered).toEqual(
      expect.arrayContaining([
        'GET /v1/organizations/:orgId',
        'GET /v1/organizations/:orgId/teams/:teamId',
        'DELETE /v1/organizations/:orgId/teams/:teamId',
      ]),
    );
    expect(discovered.length).toBeGreaterThan(20);
  });

  it("answers 404 to a member of B for every route with A's organization and A's ids", async () => {
    const answers = [];
    for (const route of tenantRoutes())
      answers.push(await call(route, idsOfA, `Bearer ${ownerB.accessToken}`));
    const leaks = answers.filter((answer) => answer.status !== 404);
    expect(leaks).toEqual([]);
    // The problem's `instance` repeats the requested path; nothing else may carry A's ids.
    for (const answer of answers) {
      const { instance: _path, ...problem } = answer.body as Record<string, unknown>;
      expect(JSON.stringify(problem)).not.toContain(idsOfA.teamId);
    }
  });

  it("answers 404 to a member of B for A's record ids under B's own organization", async () => {
    const mixed = { ...idsOfA, orgId: organizationB };
    const childRoutes = tenantRoutes().filter((route) =>
      route.url.replace(':orgId', '').includes(':'),
    );
    expect(childRoutes.length).toBeGreaterThan(10);
    const answers = [];
    for (const route of childRoutes)
      answers.push(await call(route, mixed, `Bearer ${ownerB.accessToken}`));
    expect(answers.filter((answer) => answer.status !== 404)).toEqual([]);
  });

  it("answers 404 to an API key of B on every route of A's organization", async () => {
    const organizationRoutes = tenantRoutes().filter((route) =>
      route.url.startsWith('/v1/organizations/:orgId'),
    );
    const answers = [];
    for (const route of organizationRoutes)
      answers.push(await call(route, idsOfA, `Bearer ${apiKeyOfB}`));
    expect(answers.filter((answer) => answer.status !== 404)).toEqual([]);
  });

  it("left A's records untouched after every attempt", async () => {
    const base = `/v1/organizations/${idsOfA.orgId}`;
    const organization = await testApp.http().get(base).set(ownerA.auth).expect(200);
    expect(organization.body.name).not.toBe('Taken over');
    const team = await testApp
      .http()
      .get(`${base}/teams/${idsOfA.teamId}`)
      .set(ownerA.auth)
      .expect(200);
    expect(team.body.name).toBe('Team of A');
    await testApp
      .http()
      .get(`${base}/assessments/${idsOfA.assessmentId}`)
      .set(ownerA.auth)
      .expect(200);
    const integration = await testApp
      .http()
      .get(`${base}/integrations/${idsOfA.integrationId}`)
      .set(ownerA.auth)
      .expect(200);
    expect(integration.body.name).toBe('CI of A');
    const members = await testApp.http().get(`${base}/members`).set(ownerA.auth).expect(200);
    expect(members.body.items.map((member: { userId: string }) => member.userId)).toEqual([
      ownerA.id,
    ]);
  });
});

/** Creates one of every tenant-owned record in an organization, through the API. */
async function buildTenant(testApp: TestApp, owner: SignedInUser, organizationId: string) {
  const base = `/v1/organizations/${organizationId}`;
  const post = (path: string, body: object) =>
    testApp.http().post(`${base}${path}`).set(owner.auth).send(body);
  const team = await post('/teams', { name: 'Team of A', slug: 'team-of-a' }).expect(201);
  await testApp
    .http()
    .put(`${base}/teams/${team.body.id}/members/${owner.id}`)
    .set(owner.auth)
    .send({ role: 'lead' })
    .expect(200);
  const invitation = await post('/invitations', {
    email: 'invitee@example.com',
    role: 'member',
  }).expect(201);
  const apiKey = await post('/api-keys', {
    name: 'A automation',
    scopes: ['assessments:read'],
  }).expect(201);

  const catalogue = await testApp.http().get('/v1/maturity-models').set(owner.auth).expect(200);
  const builtin = catalogue.body.items[0];
  const builtinVersion = await testApp
    .http()
    .get(`/v1/maturity-models/${builtin.id}/versions/1`)
    .set(owner.auth)
    .expect(200);
  const builtinVersionId: string = builtinVersion.body.id;
  const criterionKey: string = builtinVersion.body.dimensions[0].levels[0].criteria[0].key;
  const model = await post('/maturity-models', {
    name: 'Our model',
    fromVersionId: builtinVersionId,
  }).expect(201);
  await testApp
    .http()
    .post(`${base}/maturity-models/${model.body.id}/publish`)
    .set(owner.auth)
    .expect((response) => {
      if (response.status >= 300) throw new Error(`publish answered ${response.status}`);
    });

  const assess = async () => {
    const created = await post(`/teams/${team.body.id}/assessments`, {
      modelVersionId: builtinVersionId,
    }).expect(201);
    await testApp
      .http()
      .post(`${base}/assessments/${created.body.id}/submit`)
      .set(owner.auth)
      .expect((response) => {
        if (response.status >= 300) throw new Error(`submit answered ${response.status}`);
      });
    return created.body.id as string;
  };
  const otherAssessmentId = await assess();
  const assessmentId = await assess();
  const integration = await post('/integrations', {
    kind: 'github',
    name: 'CI of A',
    teamId: team.body.id,
  }).expect(201);
  const delivery = await sendGithub(
    testApp,
    integration.body.id,
    'workflow_job',
    { action: 'completed', workflow_job: { name: 'mlops:lint' } },
    integration.body.secret,
  ).expect(202);
  const endpoint = await post('/webhook-endpoints', {
    url: 'https://hooks.example.com/a',
    events: ['campaign.opened'],
    description: 'A',
  }).expect(201);
  const campaign = await post('/campaigns', {
    ...campaignBody([team.body.id]),
    participants: [{ teamId: team.body.id, userId: owner.id }],
  }).expect(201);
  await testApp
    .http()
    .post(`${base}/campaigns/${campaign.body.id}/launch`)
    .set(owner.auth)
    .expect(200);
  const roadmap = await post(`/teams/${team.body.id}/roadmaps`, {
    targetLevels: { testing: 2 },
  }).expect(201);
  const reportLink = await post('/report-links', {
    report: 'trends',
    parameters: { teamIds: [team.body.id] },
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  }).expect(201);

  return {
    orgId: organizationId,
    teamId: team.body.id,
    userId: owner.id,
    invitationId: invitation.body.id,
    token: invitation.body.token,
    keyId: apiKey.body.id,
    modelId: model.body.id,
    version: '1',
    otherVersion: '1',
    assessmentId,
    otherAssessmentId,
    roadmapId: roadmap.body.id,
    itemId: roadmap.body.items[0].id,
    linkId: reportLink.body.id,
    builtinVersionId,
    criterionKey,
    integrationId: integration.body.id,
    integrationDeliveryId: delivery.body.deliveryId,
    campaignId: campaign.body.id,
    // A well-formed personal link naming A's organization that no participant holds.
    responseToken: issueResponseToken(organizationId),
    endpointId: endpoint.body.id,
    deliveryId: (
      await testApp
        .http()
        .get(`${base}/webhook-endpoints/${endpoint.body.id}/deliveries`)
        .set(owner.auth)
        .expect(200)
    ).body.items[0].id,
  };
}
