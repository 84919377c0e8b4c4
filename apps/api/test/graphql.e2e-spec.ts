import { ProblemType } from '@app/common';
import { createOrganization, signUp, SignedInUser } from './support/actors';
import { createTeam, DASHBOARD_QUERY, graphql, scoredTeam } from './support/graphql';
import { joinedMember } from './support/memberships';
import { startTestApp, TestApp } from './support/test-app';

describe('GraphQL read API', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let teamId: string;
  let assessmentId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    ({ teamId, assessmentId } = await scoredTeam(testApp, owner, organizationId));
  });
  afterAll(() => testApp.close());

  it('answers the dashboard query with the same data REST serves', async () => {
    const answer = await graphql(testApp, owner.auth, DASHBOARD_QUERY, { id: organizationId });
    expect(answer.errors).toBeUndefined();
    const organization = answer.data.organization;
    expect(organization.id).toBe(organizationId);
    expect(organization.teams.items).toHaveLength(1);
    const [team] = organization.teams.items;
    const rest = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/assessments/${assessmentId}`)
      .set(owner.auth)
      .expect(200);
    expect(team.latestAssessment.id).toBe(assessmentId);
    expect(team.latestAssessment.result.score).toBe(rest.body.result.score);
    expect(
      team.latestAssessment.result.dimensions.map((d: { dimensionKey: string }) => d.dimensionKey),
    ).toEqual(rest.body.result.dimensions.map((d: { dimensionKey: string }) => d.dimensionKey));
    const progress = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/teams/${teamId}/progress`)
      .set(owner.auth)
      .expect(200);
    expect(team.progress.items).toHaveLength(Math.min(12, progress.body.items.length));
    expect(team.progress.items.at(-1).recordedAt).toBe(progress.body.items.at(-1).recordedAt);
  });

  it('serves each type through its main query', async () => {
    const answer = await graphql(
      testApp,
      owner.auth,
      /* GraphQL */ `
        query All($id: ID!, $teamId: ID!, $assessmentId: ID!) {
          viewer {
            id
            email
            organizations {
              role
              organization {
                id
              }
            }
          }
          organization(id: $id) {
            slug
            members {
              items {
                userId
                role
              }
            }
            invitations {
              items {
                id
              }
            }
            apiKeys {
              items {
                id
              }
            }
            auditEvents(limit: 5) {
              items {
                action
              }
            }
            maturityModels {
              items {
                id
                key
                builtIn
                versions {
                  version
                }
                version(version: 1) {
                  id
                  dimensions
                }
              }
            }
            team(id: $teamId) {
              slug
              members {
                userId
              }
              currentScore {
                score
                band
                dimensions {
                  dimensionKey
                }
                lastChange {
                  cause
                }
              }
              evidence {
                items {
                  id
                }
              }
              assessments {
                items {
                  id
                  status
                  score
                }
              }
              progress(dimension: "overall") {
                items {
                  score
                }
              }
            }
            assessment(id: $assessmentId) {
              status
              answers {
                criterionKey
                status
              }
              result {
                explanation
                dimensions {
                  gaps {
                    key
                    title
                  }
                }
              }
            }
            integrations {
              items {
                id
              }
            }
          }
        }
      `,
      { id: organizationId, teamId, assessmentId },
    );
    expect(answer.errors).toBeUndefined();
    const data = answer.data;
    expect(data.viewer.email).toBe(owner.email);
    expect(data.viewer.organizations).toEqual([
      { role: 'owner', organization: { id: organizationId } },
    ]);
    const org = data.organization;
    expect(org.members.items).toEqual([{ userId: owner.id, role: 'owner' }]);
    expect(org.auditEvents.items.length).toBeGreaterThan(0);
    expect(org.maturityModels.items[0].version.dimensions.length).toBeGreaterThan(0);
    expect(org.team.assessments.items).toEqual([
      { id: assessmentId, status: 'submitted', score: expect.any(Number) },
    ]);
    expect(org.team.currentScore.lastChange.cause).toBe('assessment');
    expect(org.team.progress.items).toHaveLength(1);
    expect(org.assessment.answers).toHaveLength(2);
    expect(org.assessment.result.explanation.length).toBeGreaterThan(0);
  });

  it('answers null, not an error, for a team with no score and no assessment yet', async () => {
    const fresh = await createTeam(testApp, owner, organizationId);
    const answer = await graphql(
      testApp,
      owner.auth,
      'query($id: ID!, $teamId: ID!) { organization(id: $id) { team(id: $teamId) { currentScore { score } latestAssessment { id } progress(last: 12) { items { score } } } } }',
      { id: organizationId, teamId: fresh },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.organization.team).toEqual({
      currentScore: null,
      latestAssessment: null,
      progress: { items: [] },
    });
  });

  it('answers a non-member, a missing id and a malformed id with the same not-found, and no data', async () => {
    const stranger = await signUp(testApp);
    const query = 'query($id: ID!) { organization(id: $id) { id name } }';
    for (const [who, id] of [
      [stranger, organizationId],
      [owner, '00000000-0000-4000-8000-000000000000'],
      [owner, 'not-a-uuid'],
    ] as const) {
      const answer = await graphql(testApp, who.auth, query, { id });
      expect(answer.data).toEqual({ organization: null });
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message: 'Organization was not found.',
          path: ['organization'],
          extensions: expect.objectContaining({ code: ProblemType.notFound }),
        }),
      ]);
    }
  });

  it('refuses a role its permission does not admit, field by field (403 code)', async () => {
    const viewer = await joinedMember(testApp, owner, organizationId, 'viewer');
    const answer = await graphql(
      testApp,
      viewer.auth,
      'query($id: ID!) { organization(id: $id) { id auditEvents { items { id } } } }',
      { id: organizationId },
    );
    // The rest of the organization is still answered: only the refused field is null.
    expect(answer.data).toEqual({ organization: { id: organizationId, auditEvents: null } });
    expect(answer.errors?.[0].extensions?.code).toBe(ProblemType.forbidden);
    expect(answer.errors?.[0].path).toEqual(['organization', 'auditEvents']);
  });

  it('requires authentication, and refuses an invalid token', async () => {
    const query = 'query($id: ID!) { organization(id: $id) { id } }';
    for (const auth of [undefined, { Authorization: 'Bearer not.a.jwt' }]) {
      const answer = await graphql(testApp, auth, query, { id: organizationId });
      expect(answer.data).toEqual({ organization: null });
      expect(answer.errors?.[0].extensions?.code).toBe(ProblemType.unauthorized);
    }
  });

  it('lists the fields of invalid arguments, with the validation problem type', async () => {
    const answer = await graphql(
      testApp,
      owner.auth,
      'query($id: ID!) { organization(id: $id) { teams(limit: 1000, from: "yesterday") { nextCursor } } }',
      { id: organizationId },
    );
    expect(answer.errors?.[0].extensions?.code).toBe(ProblemType.validation);
    expect(answer.errors?.[0].extensions?.errors?.map((error) => error.field).sort()).toEqual([
      'from',
      'limit',
    ]);
    const cursor = await graphql(
      testApp,
      owner.auth,
      'query($id: ID!) { organization(id: $id) { teams(cursor: "garbage") { nextCursor } } }',
      { id: organizationId },
    );
    expect(cursor.errors?.[0].extensions?.errors).toEqual([
      { field: 'cursor', reasons: ['cursor is not one this API issued'] },
    ]);
  });

  it('pages teams with the same cursors as REST', async () => {
    await scoredTeam(testApp, owner, organizationId);
    const rest = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/teams?limit=1`)
      .set(owner.auth)
      .expect(200);
    const query =
      'query($id: ID!, $cursor: String) { organization(id: $id) { teams(limit: 1, cursor: $cursor) { nextCursor items { id } } } }';
    const first = await graphql(testApp, owner.auth, query, { id: organizationId });
    const page = first.data.organization.teams;
    expect(page).toEqual({
      nextCursor: rest.body.nextCursor,
      items: [{ id: rest.body.items[0].id }],
    });
    const restNext = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/teams?limit=1&cursor=${page.nextCursor}`)
      .set(owner.auth)
      .expect(200);
    const second = await graphql(testApp, owner.auth, query, {
      id: organizationId,
      cursor: page.nextCursor,
    });
    expect(second.data.organization.teams.items).toEqual([{ id: restNext.body.items[0].id }]);
  });

  it('refuses a query deeper than the limit, before running it', async () => {
    const deep = `{ viewer { organizations { organization { teams { items { latestAssessment { result { dimensions { gaps { key } } } } } } } } } }`;
    const answer = await graphql(testApp, owner.auth, deep);
    expect(answer.status).toBe(400);
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].message).toMatch(/depth/i);
    expect(answer.errors?.[0].extensions?.code).toBe(ProblemType.badRequest);
  });

  it('refuses a query whose estimated cost is over the limit, before running it', async () => {
    const hostile = `query($id: ID!) { organization(id: $id) { teams(limit: 100) { items {
      assessments(limit: 100) { items { id status score band createdAt } }
      evidence(limit: 100) { items { id criterionKey passed } } } } } }`;
    const answer = await graphql(testApp, owner.auth, hostile, { id: organizationId });
    expect(answer.status).toBe(400);
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].message).toMatch(/too expensive/);
    expect(answer.errors?.[0].extensions).toMatchObject({
      code: ProblemType.badRequest,
      maximumCost: 20000,
    });
  });

  it('counts a list without a limit at its default page size', async () => {
    // 50 teams (default) x 100 assessments: over the limit although no team limit is given.
    const answer = await graphql(
      testApp,
      owner.auth,
      `
        query ($id: ID!) {
          organization(id: $id) {
            teams {
              items {
                assessments(limit: 100) {
                  items {
                    id
                    status
                    score
                    band
                    createdAt
                    submittedAt
                  }
                }
              }
            }
          }
        }
      `,
      { id: organizationId },
    );
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0].extensions?.cost).toBeGreaterThan(20_000);
  });

  it('refuses a body over the REST body limit', async () => {
    const padding = 'x'.repeat(testApp.config.BODY_LIMIT_BYTES);
    const response = await testApp
      .http()
      .post('/graphql')
      .set(owner.auth)
      .send({ query: `{ viewer { id } } # ${padding}` });
    expect(response.status).toBe(413);
    expect(response.body.errors[0].extensions.code).toBe(ProblemType.payloadTooLarge);
  });

  it('limits an API key to its scopes and to its organization', async () => {
    const created = await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/api-keys`)
      .set(owner.auth)
      .send({ name: 'dashboard', scopes: ['assessments:read'] })
      .expect(201);
    const key = { Authorization: `Bearer ${created.body.key}` };
    const allowed = await graphql(
      testApp,
      key,
      'query($id: ID!) { organization(id: $id) { teams { items { id latestAssessment { id } } } } }',
      { id: organizationId },
    );
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.organization.teams.items.length).toBeGreaterThan(0);

    // Progress needs reports:read, members people only: refused, field by field.
    const refused = await graphql(
      testApp,
      key,
      'query($id: ID!) { organization(id: $id) { members { items { userId } } } }',
      { id: organizationId },
    );
    expect(refused.data).toEqual({ organization: { members: null } });
    expect(refused.errors?.[0].extensions?.code).toBe(ProblemType.forbidden);
    const progress = await graphql(
      testApp,
      key,
      'query($id: ID!, $teamId: ID!) { organization(id: $id) { team(id: $teamId) { progress { items { score } } } } }',
      { id: organizationId, teamId },
    );
    expect(progress.errors?.[0].extensions?.code).toBe(ProblemType.forbidden);
    expect(progress.errors?.[0].message).toMatch(/reports:read/);

    // Another organization: not found; the viewer is a person's.
    const other = await createOrganization(testApp, owner);
    const foreign = await graphql(
      testApp,
      key,
      'query($id: ID!) { organization(id: $id) { id } }',
      {
        id: other,
      },
    );
    expect(foreign.errors?.[0].extensions?.code).toBe(ProblemType.notFound);
    const viewer = await graphql(testApp, key, '{ viewer { id } }');
    expect(viewer.errors?.[0].extensions?.code).toBe(ProblemType.forbidden);
  });

  it('answers an unexpected failure with an error id only, never a stack or SQL', async () => {
    const answer = await graphql(testApp, owner.auth, '{ nope }');
    expect(answer.errors?.[0].extensions?.code).toBe(ProblemType.badRequest);
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.js:\d+|SELECT|prisma/i);
  });
});
