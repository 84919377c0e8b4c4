import { ProblemType } from '@app/common';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, signUp, SignedInUser } from './support/actors';
import { answerAndSubmit, campaignBody } from './support/campaigns';
import {
  createTeam,
  DASHBOARD_QUERY,
  graphql,
  scoredTeam,
  submitAssessment,
  TEAM_FIELDS_QUERY,
} from './support/graphql';
import { joinedMember } from './support/memberships';
import { withClient } from './support/test-database';
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
  describe('campaigns, roadmaps, reports and webhook endpoints', () => {
    const CAMPAIGN = `id name modelVersionId status aggregation { rule threshold } anonymous
      minRespondents reminderEveryHours opensAt closesAt launchedAt openedAt closedAt cancelledAt
      etag teams { teamId participants responses responseRate } createdById createdAt updatedAt`;
    const ROADMAP_SUMMARY = `id teamId status modelVersionId fromAssessmentId targetLevels startsOn
      horizonMonths createdById createdAt archivedAt`;
    const PROGRESS = 'total todo inProgress done dropped fraction';
    const ITEM = `id roadmapId position dimensionKey criterionKey level weight title why ciSignal
      phase status autoClosed ownerUserId dueOn note etag updatedAt`;
    const ENDPOINT =
      'id url description events enabled disabledReason createdById createdAt updatedAt';
    let org: string;
    let campaignId: string;
    let endpointId: string;
    let roadmap: { id: string; items: { id: string }[] };

    beforeAll(async () => {
      org = `/v1/organizations/${organizationId}`;
      const endpoint = await testApp
        .http()
        .post(`${org}/webhook-endpoints`)
        .set(owner.auth)
        .send({ url: 'https://hooks.example.com/x', events: ['campaign.opened'], description: 'd' })
        .expect(201);
      endpointId = endpoint.body.id;
      const created = await testApp
        .http()
        .post(`${org}/campaigns`)
        .set(owner.auth)
        .send(
          campaignBody([teamId], {
            minRespondents: 1,
            participants: [{ teamId, userId: owner.id }],
          }),
        )
        .expect(201);
      campaignId = created.body.id;
      const launched = await testApp
        .http()
        .post(`${org}/campaigns/${campaignId}/launch`)
        .set(owner.auth)
        .set('If-Match', created.headers.etag as string)
        .expect(200);
      await answerAndSubmit(testApp, owner, `${org}/campaigns/${campaignId}/my-response`, [
        { criterionKey: 'version_control.code_in_git', status: 'met', note: 'yes' },
      ]);
      const current = await testApp.http().get(`${org}/campaigns/${campaignId}`).set(owner.auth);
      expect(launched.body.status).toBe('open');
      await testApp
        .http()
        .post(`${org}/campaigns/${campaignId}/close`)
        .set(owner.auth)
        .set('If-Match', current.headers.etag as string)
        .expect(200);
      roadmap = (
        await testApp
          .http()
          .post(`${org}/teams/${teamId}/roadmaps`)
          .set(owner.auth)
          .send({ targetLevels: { testing: 3, monitoring: 3 } })
          .expect(201)
      ).body;
      await testApp
        .http()
        .post(`${org}/report-links`)
        .set(owner.auth)
        .send({
          report: 'trends',
          parameters: { teamIds: [teamId], interval: 'week' },
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        })
        .expect(201);
    });

    const rest = async (path: string) =>
      (await testApp.http().get(`${org}${path}`).set(owner.auth).expect(200)).body;

    it('serves campaigns, their participants, results and my response as REST does', async () => {
      const answer = await graphql(
        testApp,
        owner.auth,
        `query($id: ID!, $campaignId: ID!) { organization(id: $id) {
          campaigns(status: "closed") { nextCursor items { ${CAMPAIGN} } }
          campaign(id: $campaignId) { ${CAMPAIGN}
            participants { nextCursor items { id teamId userId email notifiedAt notificationError
              lastRemindedAt responded } }
            myResponse { campaignId campaignName teamId campaignStatus closesAt etag submittedAt
              answers { criterionKey status note }
              questions { criterionKey dimensionKey level title question guidance } }
            results { campaignId status anonymous minRespondents teams { teamId participants
              responses responseRate shown assessmentId score minimumLevel band dimensions
              answers { criterionKey status agreement
                counts { met not_met not_applicable unknown } }
              agreement { alpha percentAgreement pairableValues }
              leastAgreement { criterionKey agreement }
              change { previousCampaignId previousAssessmentId scoreBefore scoreAfter scoreDelta
                minimumLevelBefore minimumLevelAfter } } } } } }`,
        { id: organizationId, campaignId },
      );
      expect(answer.errors).toBeUndefined();
      const { campaigns, campaign } = answer.data.organization;
      const { participants, myResponse, results, ...own } = campaign;
      expect(campaigns).toEqual(await rest('/campaigns?status=closed'));
      expect(own).toEqual(await rest(`/campaigns/${campaignId}`));
      expect(participants).toEqual(await rest(`/campaigns/${campaignId}/participants`));
      expect(myResponse).toEqual(await rest(`/campaigns/${campaignId}/my-response`));
      expect(results).toEqual(await rest(`/campaigns/${campaignId}/results`));
      expect(participants.items).toEqual([expect.objectContaining({ responded: true })]);
      expect(myResponse.answers).toEqual([
        { criterionKey: 'version_control.code_in_git', status: 'met', note: 'yes' },
      ]);
      expect(results.teams[0]).toMatchObject({ shown: true, responses: 1 });
      expect(results.teams[0].answers.length).toBeGreaterThan(0);
    });

    it('serves roadmaps, a roadmap with its items and one item with its history as REST does', async () => {
      const itemId = roadmap.items[0].id;
      const answer = await graphql(
        testApp,
        owner.auth,
        `query($id: ID!, $teamId: ID!, $roadmapId: ID!, $itemId: ID!) { organization(id: $id) {
          team(id: $teamId) {
            roadmaps { nextCursor items { ${ROADMAP_SUMMARY} } }
            roadmap(id: $roadmapId) { ${ROADMAP_SUMMARY}
              progress { ${PROGRESS} } phases { phase ${PROGRESS} } items { ${ITEM} }
              item(id: $itemId) { ${ITEM}
                history { id cause causeId fromStatus toStatus changes createdAt } } } } } }`,
        { id: organizationId, teamId, roadmapId: roadmap.id, itemId },
      );
      expect(answer.errors).toBeUndefined();
      const { roadmaps, roadmap: served } = answer.data.organization.team;
      const { item, ...withItems } = served;
      const base = `/teams/${teamId}/roadmaps`;
      expect(roadmaps).toEqual(await rest(base));
      expect(roadmaps.items.map((r: { id: string }) => r.id)).toEqual([roadmap.id]);
      expect(withItems).toEqual(await rest(`${base}/${roadmap.id}`));
      expect(withItems.items.length).toBeGreaterThan(0);
      expect(item).toEqual(await rest(`${base}/${roadmap.id}/items/${itemId}`));
      expect(item.history[0].cause).toBe('created');
    });

    it('serves trends, the report card and report links as REST does', async () => {
      const from = new Date(Date.now() - 90 * 86_400_000).toISOString();
      const to = new Date(Date.now() + 86_400_000).toISOString();
      const answer = await graphql(
        testApp,
        owner.auth,
        `
          query ($id: ID!, $from: String, $to: String) {
            organization(id: $id) {
              trends(from: $from, to: $to, interval: "month") {
                interval
                from
                to
                buckets {
                  start
                  end
                }
                teams {
                  id
                  name
                }
                series
                teamSeries {
                  teamId
                  series
                  values
                  levels
                  delta
                  velocity
                }
                organization {
                  series
                  values {
                    mean
                    count
                  }
                }
              }
              reportCard(from: $from, to: $to) {
                from
                to
                dimensions
                mostImproved {
                  teamId
                  name
                  delta
                  score
                }
                mostRegressed {
                  teamId
                  name
                  delta
                  score
                }
                heatmap {
                  teamId
                  name
                  levels
                }
                distribution {
                  dimension
                  counts
                  unassessed
                }
              }
              reportLinks {
                nextCursor
                items {
                  id
                  report
                  createdById
                  createdAt
                  expiresAt
                  revokedAt
                  parameters {
                    teamIds
                    dimensions
                    from
                    to
                    interval
                  }
                }
              }
            }
          }
        `,
        { id: organizationId, from, to },
      );
      expect(answer.errors).toBeUndefined();
      const { trends, reportCard, reportLinks } = answer.data.organization;
      const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      expect(trends).toEqual(await rest(`/reports/trends?${window}&interval=month`));
      expect(trends.teamSeries.length).toBeGreaterThan(0);
      expect(reportCard).toEqual(await rest(`/reports/report-card?${window}`));
      expect(reportCard.heatmap.length).toBeGreaterThan(0);
      // GraphQL answers every declared field; REST omits the link parameters not given.
      const links = await rest('/report-links');
      expect(reportLinks.items).toHaveLength(1);
      expect(reportLinks.items[0]).toEqual({
        ...links.items[0],
        parameters: { teamIds: [teamId], dimensions: null, from: null, to: null, interval: 'week' },
      });
    });

    it('serves webhook endpoints and their deliveries as REST does, never a secret', async () => {
      const answer = await graphql(
        testApp,
        owner.auth,
        `query($id: ID!, $endpointId: ID!) { organization(id: $id) {
          webhookEndpoints { nextCursor items { ${ENDPOINT} } }
          webhookEndpoint(id: $endpointId) { ${ENDPOINT}
            deliveries { nextCursor items { id eventId eventType status attempts nextAttemptAt
              lastAttemptAt responseStatus lastError payload createdAt } } } } }`,
        { id: organizationId, endpointId },
      );
      expect(answer.errors).toBeUndefined();
      const { webhookEndpoints, webhookEndpoint } = answer.data.organization;
      const { deliveries, ...endpoint } = webhookEndpoint;
      expect(webhookEndpoints).toEqual(await rest('/webhook-endpoints'));
      expect(endpoint).toEqual(await rest(`/webhook-endpoints/${endpointId}`));
      expect(deliveries).toEqual(await rest(`/webhook-endpoints/${endpointId}/deliveries`));
      expect(deliveries.items.map((d: { eventType: string }) => d.eventType)).toContain(
        'campaign.opened',
      );
      expect(JSON.stringify(answer.data)).not.toMatch(/whsec_/);
    });
  });

  describe("a team's score, members, evidence and assessments, batched across a page of teams", () => {
    const PAGE_SIZE = 2;
    let org: string;
    let batchOrganization: string;
    /** A team with no score yet, and one member. */
    let unscored: string;
    /** Four assessments (one a draft): more than a page; three members of both roles. */
    let assessed: string;
    /** Evidence (more than a page, three items stored together), one assessment, one member. */
    let evidenced: string;

    beforeAll(async () => {
      batchOrganization = await createOrganization(testApp, owner);
      org = `/v1/organizations/${batchOrganization}`;
      const assessor = await joinedMember(testApp, owner, batchOrganization, 'assessor');
      const member = await joinedMember(testApp, owner, batchOrganization, 'member');
      const joinTeam = (teamId: string, userId: string, role: 'lead' | 'member') =>
        testApp
          .http()
          .put(`${org}/teams/${teamId}/members/${userId}`)
          .set(owner.auth)
          .send({ role })
          .expect(200);
      unscored = await createTeam(testApp, owner, batchOrganization);
      await joinTeam(unscored, member.id, 'member');
      assessed = await createTeam(testApp, owner, batchOrganization);
      for (let count = 0; count < 3; count += 1) {
        await submitAssessment(testApp, owner, batchOrganization, assessed);
      }
      await testApp
        .http()
        .post(`${org}/teams/${assessed}/assessments`)
        .set(owner.auth)
        .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
        .expect(201);
      await joinTeam(assessed, member.id, 'lead');
      await joinTeam(assessed, owner.id, 'member');
      await joinTeam(assessed, assessor.id, 'lead');
      evidenced = await createTeam(testApp, owner, batchOrganization);
      await submitAssessment(testApp, owner, batchOrganization, evidenced);
      const push = (items: { criterionKey: string; passed: boolean }[]) =>
        testApp
          .http()
          .post(`${org}/evidence`)
          .set(owner.auth)
          .send({
            items: items.map((item, index) => ({
              ...item,
              teamId: evidenced,
              url: `https://ci.example.com/${item.criterionKey}/${index}`,
            })),
          })
          .expect(201);
      await push([
        { criterionKey: 'testing.unit_tests_on_pr', passed: true },
        { criterionKey: 'version_control.pinned_dependencies', passed: true },
        { criterionKey: 'version_control.code_in_git', passed: false },
      ]);
      await push([{ criterionKey: 'testing.unit_tests_on_pr', passed: false }]);
      await joinTeam(evidenced, assessor.id, 'member');
    });

    interface ScoredOnTheFly {
      asOf: string;
      lastChange: { at: string };
      assessmentId: string;
      criteria: { provenance: string }[];
    }

    /** The REST answer restricted to the fields GraphQL was asked for (REST may carry more). */
    function asAsked(rest: unknown, answered: unknown): unknown {
      if (Array.isArray(rest) && Array.isArray(answered)) {
        return rest.map((item, index) => asAsked(item, answered[index]));
      }
      if (rest && answered && typeof rest === 'object' && typeof answered === 'object') {
        return Object.fromEntries(
          Object.entries(answered).map(([key, value]) => [
            key,
            asAsked((rest as Record<string, unknown>)[key], value),
          ]),
        );
      }
      // GraphQL answers null where REST leaves an optional field out.
      return rest === undefined && answered === null ? null : rest;
    }

    async function restOf(path: string, expected = 200) {
      const response = await testApp.http().get(`${org}${path}`).set(owner.auth).expect(expected);
      return response.body;
    }

    it('answers each team exactly what REST answers for that team', async () => {
      const answer = await graphql(testApp, owner.auth, TEAM_FIELDS_QUERY, {
        id: batchOrganization,
        limit: 10,
        pageSize: PAGE_SIZE,
      });
      expect(answer.errors).toBeUndefined();
      const teams: Record<string, unknown>[] = answer.data.organization.teams.items;
      expect(teams.map((team) => team.id)).toEqual([evidenced, assessed, unscored]);
      for (const { id, currentScore, members, evidence, assessments } of teams) {
        const team = `/teams/${id}`;
        if (id === unscored) {
          expect(currentScore).toBeNull();
          await restOf(`${team}/score`, 404);
        } else {
          expect(currentScore).toEqual(asAsked(await restOf(`${team}/score`), currentScore));
        }
        expect(members).toEqual(asAsked((await restOf(`${team}/members`)).items, members));
        expect(evidence).toEqual(
          asAsked(await restOf(`${team}/evidence?limit=${PAGE_SIZE}`), evidence),
        );
        expect(assessments).toEqual(
          asAsked(await restOf(`${team}/assessments?limit=${PAGE_SIZE}`), assessments),
        );
      }
      // What the comparisons above rest on: teams whose answers differ, lists of several items.
      const [ofEvidenced, ofAssessed, ofUnscored] = teams as {
        currentScore: { criteria: { provenance: string }[] } | null;
        members: { role: string }[];
        evidence: { items: { criterionKey: string }[]; nextCursor: string | null };
        assessments: { items: { status: string }[]; nextCursor: string | null };
      }[];
      expect(ofAssessed.members.map((member) => member.role)).toEqual(['lead', 'member', 'lead']);
      expect(ofEvidenced.members).toHaveLength(1);
      expect(ofUnscored.members).toHaveLength(1);
      expect(ofAssessed.assessments.items.map((item) => item.status)).toEqual([
        'draft',
        'submitted',
      ]);
      expect(ofAssessed.assessments.nextCursor).not.toBeNull();
      expect(ofEvidenced.assessments).toEqual({ items: [expect.anything()], nextCursor: null });
      expect(ofEvidenced.evidence.items).toHaveLength(PAGE_SIZE);
      expect(ofEvidenced.evidence.nextCursor).not.toBeNull();
      expect(ofAssessed.evidence).toEqual({ items: [], nextCursor: null });
      expect(ofEvidenced.currentScore?.criteria.map((c) => c.provenance)).toContain('ci');
      expect(ofAssessed.currentScore?.criteria.map((c) => c.provenance)).not.toContain('ci');
    });

    it('scores teams with no stored score on the fly, each as REST does', async () => {
      const organization = await createOrganization(testApp, owner);
      const withEvidence = await createTeam(testApp, owner, organization);
      const latest = await submitAssessment(testApp, owner, organization, withEvidence);
      await testApp
        .http()
        .post(`/v1/organizations/${organization}/evidence`)
        .set(owner.auth)
        .send({
          items: [{ teamId: withEvidence, criterionKey: 'testing.unit_tests_on_pr', passed: true }],
        })
        .expect(201);
      const assessedOnly = await createTeam(testApp, owner, organization);
      const older = await submitAssessment(testApp, owner, organization, assessedOnly);
      const newer = await submitAssessment(testApp, owner, organization, assessedOnly);
      // As for teams assessed before scores were stored.
      await withClient(testApp.database.adminUrl, (client) =>
        client.query('DELETE FROM team_scores WHERE organization_id = $1', [organization]),
      );
      const answer = await graphql(testApp, owner.auth, TEAM_FIELDS_QUERY, {
        id: organization,
        pageSize: PAGE_SIZE,
      });
      expect(answer.errors).toBeUndefined();
      const teams: { id: string; currentScore: ScoredOnTheFly }[] =
        answer.data.organization.teams.items;
      expect(teams.map((team) => team.id)).toEqual([assessedOnly, withEvidence]);
      for (const { id, currentScore } of teams) {
        const rest = await testApp
          .http()
          .get(`/v1/organizations/${organization}/teams/${id}/score`)
          .set(owner.auth)
          .expect(200);
        // Scored when asked: only the time of scoring differs.
        const { asOf, lastChange } = currentScore;
        expect(lastChange.at).toBe(asOf);
        expect(currentScore).toEqual({
          ...(asAsked(rest.body, currentScore) as object),
          asOf,
          lastChange: { ...rest.body.lastChange, at: asOf },
        });
      }
      const [ofAssessedOnly, ofWithEvidence] = teams.map((team) => team.currentScore);
      expect(ofAssessedOnly.assessmentId).toBe(newer);
      expect(ofAssessedOnly.assessmentId).not.toBe(older);
      expect(ofWithEvidence.assessmentId).toBe(latest);
      const provenance = (score: ScoredOnTheFly) =>
        score.criteria.map((criterion) => criterion.provenance);
      expect(provenance(ofWithEvidence)).toContain('ci');
      expect(provenance(ofAssessedOnly)).not.toContain('ci');
    });

    it('serves a later page (a cursor) as REST does, team by team', async () => {
      for (const [teamId, list, fields] of [
        [assessed, 'assessments', 'id status createdAt'],
        [evidenced, 'evidence', 'id criterionKey passed createdAt'],
      ]) {
        const path = `/teams/${teamId}/${list}?limit=${PAGE_SIZE}`;
        const { nextCursor } = await restOf(path);
        const answer = await graphql(
          testApp,
          owner.auth,
          `query($id: ID!, $teamId: ID!, $limit: Int, $cursor: String) {
            organization(id: $id) { team(id: $teamId) {
              ${list}(limit: $limit, cursor: $cursor) { nextCursor items { ${fields} } } } } }`,
          { id: batchOrganization, teamId, limit: PAGE_SIZE, cursor: nextCursor },
        );
        expect(answer.errors).toBeUndefined();
        const page = answer.data.organization.team[list];
        expect(page).toEqual(asAsked(await restOf(`${path}&cursor=${nextCursor}`), page));
        expect(page.items).toHaveLength(2);
      }
    });
  });
});
