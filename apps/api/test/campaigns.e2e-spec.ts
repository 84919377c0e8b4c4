import { randomUUID } from 'node:crypto';
import { JobQueue } from '@app/jobs';
import { CAMPAIGN_SCHEDULER_JOB } from '../src/modules/campaigns/campaigns.jobs';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { answerAndSubmit, campaignBody, passDeadline, teamWithMembers } from './support/campaigns';
import { joinedMember } from './support/memberships';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

const A = 'version_control.code_in_git';
const B = 'version_control.pinned_dependencies';
const C = 'version_control.reviewed_changes';
const D = 'version_control.environment_as_code';

describe('campaigns', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;
  let teamA: { teamId: string; members: SignedInUser[] };
  let teamB: { teamId: string; members: SignedInUser[] };

  const admin = <T>(sql: string, params: unknown[] = []) =>
    withClient(
      testApp.database.adminUrl,
      async (client) => (await client.query(sql, params)).rows as T[],
    );

  /** Creates and launches a campaign over teams A (3 members) and B (2); returns its id. */
  async function launched(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await testApp
      .http()
      .post(`${org}/campaigns`)
      .set(owner.auth)
      .send(campaignBody([teamA.teamId, teamB.teamId], overrides))
      .expect(201);
    const launch = await testApp
      .http()
      .post(`${org}/campaigns/${created.body.id}/launch`)
      .set(owner.auth)
      .set('If-Match', created.headers.etag as string)
      .expect(200);
    expect(launch.body.status).toBe('open');
    return created.body.id;
  }

  async function closeByScheduler(campaignId: string): Promise<void> {
    await passDeadline(testApp, campaignId);
    await testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB);
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
    teamA = await teamWithMembers(testApp, owner, organizationId, 3);
    teamB = await teamWithMembers(testApp, owner, organizationId, 2);
    await testApp
      .http()
      .post(`${org}/webhook-endpoints`)
      .set(owner.auth)
      .send({
        url: 'https://hooks.example.com/campaigns',
        events: ['campaign.opened', 'campaign.closed'],
        description: 'campaign events',
      })
      .expect(201);
  });
  afterAll(() => testApp.close());

  it('creates a draft whose participants default to the teams’ members, with a live response rate', async () => {
    const created = await testApp
      .http()
      .post(`${org}/campaigns`)
      .set(owner.auth)
      .send(campaignBody([teamA.teamId, teamB.teamId]))
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      aggregation: { rule: 'majority', threshold: null },
      minRespondents: 3,
      anonymous: false,
    });
    expect(created.headers.etag).toBe(created.body.etag);
    const teams = Object.fromEntries(
      created.body.teams.map((t: { teamId: string }) => [t.teamId, t]),
    );
    expect(teams[teamA.teamId]).toEqual({
      teamId: teamA.teamId,
      participants: 3,
      responses: 0,
      responseRate: 0,
    });
    expect(teams[teamB.teamId].participants).toBe(2);
    const listed = await testApp
      .http()
      .get(`${org}/campaigns?status=draft`)
      .set(owner.auth)
      .expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    const one = await testApp
      .http()
      .get(`${org}/campaigns/${created.body.id}`)
      .set(owner.auth)
      .expect(200);
    expect(one.body.id).toBe(created.body.id);
  });

  it('refuses bad input with a problem and stores nothing', async () => {
    const count = async () =>
      (await admin<{ n: number }>('SELECT count(*)::int AS n FROM campaigns'))[0].n;
    const before = await count();
    const bad = [
      [
        campaignBody([teamA.teamId], { closesAt: new Date(Date.now() - 3_600_000).toISOString() }),
        422,
      ],
      [campaignBody([teamA.teamId], { aggregation: { rule: 'majority', threshold: 0.5 } }), 422],
      [campaignBody([teamA.teamId], { aggregation: { rule: 'threshold' } }), 400],
      [campaignBody([teamA.teamId, teamA.teamId]), 422],
      [campaignBody([randomUUID()]), 404],
      [
        campaignBody([teamA.teamId], {
          participants: [{ teamId: teamB.teamId, userId: owner.id }],
        }),
        422,
      ],
      [
        campaignBody([teamA.teamId], {
          participants: [{ teamId: teamA.teamId, userId: randomUUID() }],
        }),
        422,
      ],
      [campaignBody([teamA.teamId], { unknown: true }), 400],
      [campaignBody([]), 400],
    ] as const;
    for (const [body, status] of bad) {
      const response = await testApp
        .http()
        .post(`${org}/campaigns`)
        .set(owner.auth)
        .send(body)
        .expect(status);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await count()).toBe(before);
  });

  it('opens a scheduled campaign at opensAt through the worker, once; a cancelled one never opens', async () => {
    const later = {
      opensAt: new Date(Date.now() + 3_600_000).toISOString(),
      closesAt: new Date(Date.now() + 7_200_000).toISOString(),
    };
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await testApp
        .http()
        .post(`${org}/campaigns`)
        .set(owner.auth)
        .send(campaignBody([teamA.teamId], later))
        .expect(201);
      const launch = await testApp
        .http()
        .post(`${org}/campaigns/${created.body.id}/launch`)
        .set(owner.auth)
        .expect(200);
      expect(launch.body).toMatchObject({ status: 'scheduled', openedAt: null });
      ids.push(created.body.id);
    }
    const [opening, cancelled] = ids;
    await testApp.http().post(`${org}/campaigns/${cancelled}/cancel`).set(owner.auth).expect(200);
    // Nothing is due yet.
    await testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB);
    const still = await testApp
      .http()
      .get(`${org}/campaigns/${opening}`)
      .set(owner.auth)
      .expect(200);
    expect(still.body.status).toBe('scheduled');
    await admin(`UPDATE campaigns SET opens_at = now() - interval '1 second' WHERE id = ANY($1)`, [
      ids,
    ]);
    await Promise.all([
      testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB),
      testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB),
    ]);
    const opened = await testApp
      .http()
      .get(`${org}/campaigns/${opening}`)
      .set(owner.auth)
      .expect(200);
    expect(opened.body.status).toBe('open');
    const other = await testApp
      .http()
      .get(`${org}/campaigns/${cancelled}`)
      .set(owner.auth)
      .expect(200);
    expect(other.body.status).toBe('cancelled');
    const openings = await admin(
      `SELECT 1 FROM audit_events WHERE entity_id = $1 AND action = 'campaign.opened'`,
      [opening],
    );
    expect(openings).toHaveLength(1);
    const invitations = await admin(
      `SELECT 1 FROM pgboss.job WHERE name = 'campaigns.notify' AND data->>'campaignId' = $1`,
      [opening],
    );
    expect(invitations).toHaveLength(1);
  });

  it('lets members answer their own response with partial saves under If-Match, then submit once', async () => {
    const campaignId = await launched();
    const path = `${org}/campaigns/${campaignId}/my-response`;
    const [member] = teamA.members;
    const first = await testApp.http().get(path).set(member.auth).expect(200);
    expect(first.body).toMatchObject({
      campaignId,
      teamId: teamA.teamId,
      campaignStatus: 'open',
      answers: [],
    });
    expect(first.body.questions.map((q: { criterionKey: string }) => q.criterionKey)).toContain(A);
    const saved = await testApp
      .http()
      .put(path)
      .set(member.auth)
      .set('If-Match', first.headers.etag as string)
      .send({ answers: [{ criterionKey: A, status: 'met', note: 'all in git' }] })
      .expect(200);
    // A stale tag is refused and changes nothing.
    await testApp
      .http()
      .put(path)
      .set(member.auth)
      .set('If-Match', first.headers.etag as string)
      .send({ answers: [{ criterionKey: A, status: 'not_met' }] })
      .expect(412);
    await testApp
      .http()
      .put(path)
      .set(member.auth)
      .send({ answers: [{ criterionKey: 'no.such_criterion', status: 'met' }] })
      .expect(422);
    const second = await testApp
      .http()
      .put(path)
      .set(member.auth)
      .set('If-Match', saved.headers.etag as string)
      .send({ answers: [{ criterionKey: B, status: 'not_met' }] })
      .expect(200);
    expect(second.body.answers).toEqual([
      { criterionKey: A, status: 'met', note: 'all in git' },
      { criterionKey: B, status: 'not_met', note: null },
    ]);
    const submitted = await testApp
      .http()
      .post(`${path}/submit`)
      .set(member.auth)
      .set('If-Match', second.headers.etag as string)
      .expect(200);
    expect(submitted.body.submittedAt).not.toBeNull();
    await testApp.http().post(`${path}/submit`).set(member.auth).expect(409);
    await testApp
      .http()
      .put(path)
      .set(member.auth)
      .send({ answers: [{ criterionKey: A, status: 'not_met' }] })
      .expect(409);
    const campaign = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}`)
      .set(owner.auth)
      .expect(200);
    const rate = campaign.body.teams.find((t: { teamId: string }) => t.teamId === teamA.teamId);
    expect(rate).toMatchObject({ participants: 3, responses: 1, responseRate: 1 / 3 });
    // Someone who is not a participant has no response here; members cannot manage campaigns.
    await testApp.http().get(path).set(owner.auth).expect(404);
    await testApp.http().get(`${org}/campaigns/${campaignId}`).set(member.auth).expect(403);
    await testApp.http().post(`${org}/campaigns/${campaignId}/close`).set(member.auth).expect(403);
    const viewer = await joinedMember(testApp, owner, organizationId, 'viewer');
    await testApp.http().get(path).set(viewer.auth).expect(403);
  });

  it('runs concurrent saves of one response one after another: every answer kept, one version each', async () => {
    const campaignId = await launched();
    const path = `${org}/campaigns/${campaignId}/my-response`;
    const [member] = teamB.members;
    const first = await testApp.http().get(path).set(member.auth).expect(200);
    const keys = (first.body.questions as { criterionKey: string }[])
      .slice(0, 10)
      .map((q) => q.criterionKey);
    const saves = await Promise.all(
      keys.map((criterionKey) =>
        testApp
          .http()
          .put(path)
          .set(member.auth)
          .send({ answers: [{ criterionKey, status: 'met' }] }),
      ),
    );
    expect(saves.map((save) => save.status)).toEqual(keys.map(() => 200));
    const etags = new Set(saves.map((save) => save.headers.etag as string));
    expect(etags.size).toBe(keys.length);
    const last = await testApp.http().get(path).set(member.auth).expect(200);
    expect(last.body.answers.map((a: { criterionKey: string }) => a.criterionKey).sort()).toEqual(
      [...keys].sort(),
    );
    const version = (etag: string) => Number(/\.(\d+)"$/.exec(etag)![1]);
    expect(version(last.headers.etag as string)).toBe(version(first.headers.etag as string) + 10);
  });

  it.each([
    // [rule, expected status of A, B, C, D] for the answers below (3 respondents, team A).
    [{ rule: 'majority' }, ['met', 'not_met', 'not_applicable', 'unknown']],
    [{ rule: 'threshold', threshold: 0.6 }, ['met', 'not_met', 'not_applicable', 'unknown']],
    [{ rule: 'threshold', threshold: 0.5 }, ['met', 'met', 'not_applicable', 'unknown']],
    [{ rule: 'unanimous' }, ['not_met', 'not_met', 'not_applicable', 'unknown']],
  ])('aggregates team A under %j as the rule says', async (aggregation, expected) => {
    const campaignId = await launched({ aggregation });
    const path = `${org}/campaigns/${campaignId}/my-response`;
    // A: met, met, not_met. B: met, not_met, (unknown). C: n/a, n/a, met. D: unknown x3.
    const rows = [
      [['met'], ['met'], ['not_applicable'], ['unknown']],
      [['met'], ['not_met'], ['not_applicable'], ['unknown']],
      [['not_met'], ['unknown'], ['met'], ['unknown']],
    ];
    for (const [index, member] of teamA.members.entries()) {
      await answerAndSubmit(
        testApp,
        member,
        path,
        [A, B, C, D].map((criterionKey, i) => ({ criterionKey, status: rows[index][i][0] })),
      );
    }
    await closeByScheduler(campaignId);
    const results = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}/results`)
      .set(owner.auth)
      .expect(200);
    const team = results.body.teams.find((t: { teamId: string }) => t.teamId === teamA.teamId);
    expect(team.shown).toBe(true);
    const statusOf = (key: string) =>
      team.answers.find((a: { criterionKey: string }) => a.criterionKey === key).status;
    expect([A, B, C, D].map(statusOf)).toEqual(expected);
    expect(team.answers.find((a: { criterionKey: string }) => a.criterionKey === A).counts).toEqual(
      {
        met: 2,
        not_met: 1,
        not_applicable: 0,
        unknown: 0,
      },
    );
    // Pairs among met/not_met: A 1 of 3, B 0 of 1, C none, D none -> 1 of 4.
    expect(team.agreement.percentAgreement).toBeCloseTo(0.25, 10);
    // Coincidences: A met-met 2/2=1, met-not 2*2/2=2; B met-not 2. n=5, n_met=3, n_not=2.
    expect(team.agreement.alpha).toBeCloseTo(1 - (4 * 4) / (2 * 3 * 2), 10);
    expect(team.leastAgreement[0]).toEqual({ criterionKey: B, agreement: 0 });
  });

  it('closes at the deadline through the worker: one scored campaign assessment and progress snapshots per team, teams below minRespondents show counts only', async () => {
    const campaignId = await launched();
    const path = `${org}/campaigns/${campaignId}/my-response`;
    for (const member of teamA.members) {
      await answerAndSubmit(testApp, member, path, [{ criterionKey: A, status: 'met' }]);
    }
    await answerAndSubmit(testApp, teamB.members[0], path, [{ criterionKey: A, status: 'met' }]);
    await testApp.http().get(`${org}/campaigns/${campaignId}/results`).set(owner.auth).expect(409);
    await closeByScheduler(campaignId);
    const campaign = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}`)
      .set(owner.auth)
      .expect(200);
    expect(campaign.body.status).toBe('closed');
    const results = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}/results`)
      .set(owner.auth)
      .expect(200);
    const byTeam = Object.fromEntries(
      results.body.teams.map((t: { teamId: string }) => [t.teamId, t]),
    );
    expect(byTeam[teamB.teamId]).toMatchObject({
      participants: 2,
      responses: 1,
      responseRate: 0.5,
      shown: false,
      assessmentId: null,
      answers: null,
      agreement: null,
    });
    const shown = byTeam[teamA.teamId];
    expect(shown).toMatchObject({ participants: 3, responses: 3, responseRate: 1, shown: true });
    const assessment = await testApp
      .http()
      .get(`${org}/assessments/${shown.assessmentId}`)
      .set(owner.auth)
      .expect(200);
    expect(assessment.body).toMatchObject({ source: 'campaign', campaignId, status: 'submitted' });
    expect(assessment.body.result.score).toBe(shown.score);
    // Every criterion of the model carries the team's aggregated answer, attributed to nobody.
    expect(assessment.body.answers).toHaveLength(shown.answers.length);
    expect(assessment.body.answers).toContainEqual(
      expect.objectContaining({ criterionKey: A, status: 'met', answeredById: null }),
    );
    const progress = await testApp
      .http()
      .get(`${org}/teams/${teamA.teamId}/progress?dimension=overall`)
      .set(owner.auth)
      .expect(200);
    const points = progress.body.items.filter((p: { causeId: string }) => p.causeId === campaignId);
    expect(points).toEqual([expect.objectContaining({ cause: 'campaign', score: shown.score })]);
    const answersOfB = await admin(
      'SELECT 1 FROM assessments WHERE campaign_id = $1 AND team_id = $2',
      [campaignId, teamB.teamId],
    );
    expect(answersOfB).toEqual([]);
    // Opening and closing each published one event (its delivery waits in the outbox).
    const events = await admin<{ event_type: string; data: { campaignId: string } }>(
      `SELECT event_type, payload->'data' AS data FROM webhook_endpoint_deliveries
        WHERE payload->'data'->>'campaignId' = $1 ORDER BY created_at`,
      [campaignId],
    );
    expect(events.map((e) => e.event_type)).toEqual(['campaign.opened', 'campaign.closed']);
    // Closed is final: the state machine refuses to go anywhere else.
    await testApp.http().post(`${org}/campaigns/${campaignId}/cancel`).set(owner.auth).expect(409);
    await testApp.http().post(`${org}/campaigns/${campaignId}/close`).set(owner.auth).expect(409);
    await testApp.http().post(`${org}/campaigns/${campaignId}/launch`).set(owner.auth).expect(409);
  });

  it('closes exactly once when two workers run the close at the same time', async () => {
    const second = await startTestApp({}, { database: testApp.database });
    try {
      const campaignId = await launched();
      const path = `${org}/campaigns/${campaignId}/my-response`;
      for (const member of teamA.members) {
        await answerAndSubmit(testApp, member, path, [{ criterionKey: A, status: 'met' }]);
      }
      await passDeadline(testApp, campaignId);
      await Promise.all([
        testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB),
        second.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB),
        testApp.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB),
        second.app.get(JobQueue).runNow(CAMPAIGN_SCHEDULER_JOB),
      ]);
      const assessments = await admin('SELECT id FROM assessments WHERE campaign_id = $1', [
        campaignId,
      ]);
      expect(assessments).toHaveLength(1);
      const closed = await admin(
        `SELECT 1 FROM audit_events WHERE entity_id = $1 AND action = 'campaign.closed'`,
        [campaignId],
      );
      expect(closed).toHaveLength(1);
      const snapshots = await admin<{ n: number }>(
        `SELECT count(*)::int AS n FROM progress_snapshots WHERE cause_id = $1 AND dimension_key IS NULL`,
        [campaignId],
      );
      expect(snapshots[0].n).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('keeps anonymous campaigns anonymous: no respondent identity in results or audit details', async () => {
    const campaignId = await launched({ anonymous: true });
    const path = `${org}/campaigns/${campaignId}/my-response`;
    for (const member of teamA.members) {
      await answerAndSubmit(testApp, member, path, [
        { criterionKey: A, status: 'met', note: 'secret note' },
      ]);
    }
    await closeByScheduler(campaignId);
    const results = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}/results`)
      .set(owner.auth)
      .expect(200);
    const participants = await admin<{ id: string }>(
      'SELECT id FROM campaign_participants WHERE campaign_id = $1',
      [campaignId],
    );
    const audit = await admin<{ changes: unknown; entity_id: string }>(
      `SELECT changes, entity_id FROM audit_events WHERE entity_type = 'campaign' AND entity_id = $1`,
      [campaignId],
    );
    const identities = [
      ...teamA.members.flatMap((m) => [m.id, m.email]),
      ...participants.map((p) => p.id),
      'secret note',
    ];
    const exposed = JSON.stringify({ results: results.body, audit: audit.map((a) => a.changes) });
    for (const identity of identities) expect(exposed).not.toContain(identity);
    expect(audit.filter((a) => a.entity_id === campaignId).length).toBeGreaterThan(3);
  });

  it("shows the change since the team's previous campaign", async () => {
    const first = await launched();
    for (const member of teamA.members) {
      await answerAndSubmit(testApp, member, `${org}/campaigns/${first}/my-response`, [
        { criterionKey: A, status: 'not_met' },
      ]);
    }
    await closeByScheduler(first);
    const second = await launched();
    for (const member of teamA.members) {
      await answerAndSubmit(testApp, member, `${org}/campaigns/${second}/my-response`, [
        { criterionKey: A, status: 'met' },
        { criterionKey: B, status: 'met' },
      ]);
    }
    await closeByScheduler(second);
    const before = await testApp
      .http()
      .get(`${org}/campaigns/${first}/results`)
      .set(owner.auth)
      .expect(200);
    const after = await testApp
      .http()
      .get(`${org}/campaigns/${second}/results`)
      .set(owner.auth)
      .expect(200);
    const teamOf = (body: { teams: { teamId: string }[] }) =>
      body.teams.find((t) => t.teamId === teamA.teamId) as unknown as {
        score: number;
        assessmentId: string;
        change: Record<string, unknown>;
      };
    const then = teamOf(before.body);
    const now = teamOf(after.body);
    expect(now.change).toMatchObject({
      previousCampaignId: first,
      previousAssessmentId: then.assessmentId,
      scoreBefore: then.score,
      scoreAfter: now.score,
    });
    expect(now.score).toBeGreaterThan(then.score);
  });

  it("answers 404 for another organization's campaign", async () => {
    const campaignId = await launched();
    const stranger = await signUp(testApp);
    const otherOrg = await createOrganization(testApp, stranger);
    for (const suffix of ['', '/results', '/my-response']) {
      await testApp
        .http()
        .get(`/v1/organizations/${otherOrg}/campaigns/${campaignId}${suffix}`)
        .set(stranger.auth)
        .expect(404);
    }
    await testApp
      .http()
      .post(`/v1/organizations/${otherOrg}/campaigns/${campaignId}/cancel`)
      .set(stranger.auth)
      .expect(404);
    const still = await testApp
      .http()
      .get(`${org}/campaigns/${campaignId}`)
      .set(owner.auth)
      .expect(200);
    expect(still.body.status).toBe('open');
  });
});
