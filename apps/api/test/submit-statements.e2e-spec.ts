import { createOrganization, createTeamWithDraft, signUp } from './support/actors';
import { statementsDuring } from './support/statements';
import { startTestApp, TestApp } from './support/test-app';

describe('submitting an assessment', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('scores, freezes and keeps the team score, its progress, roadmap items and notifications in at most 14 statements, answering from what it holds', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const org = `/v1/organizations/${organizationId}`;
    const { draft } = await createTeamWithDraft(testApp, owner, organizationId);
    const answered = await testApp
      .http()
      .put(`${org}/assessments/${draft.id}/answers`)
      .set(owner.auth)
      .set('If-Match', draft.etag)
      .send({
        answers: [
          { criterionKey: 'version_control.code_in_git', status: 'met', note: 'all repos' },
          { criterionKey: 'version_control.pinned_dependencies', status: 'not_met' },
        ],
      })
      .expect(200);

    let submitted: { status: number; body: Record<string, unknown> } | undefined;
    // Everything the request sends: the access guard's membership check and the use case.
    const statements = await statementsDuring(async () => {
      submitted = await testApp
        .http()
        .post(`${org}/assessments/${draft.id}/submit`)
        .set(owner.auth)
        .set('If-Match', answered.body.etag);
    });
    expect(submitted?.status).toBe(200);
    // 8 for the assessment itself; 4 keep the team's current score (its scoring lock, its fresh
    // CI evidence, the stored score and its upsert); one reconciles roadmap items
    // (RoadmapReconciler: one statement, even with no roadmap); the notifications outbox adds one
    // INSERT ... SELECT (deliveries to subscribed endpoints).
    expect(statements.length).toBeLessThanOrEqual(14);
    expect(statements.filter((text) => /^\s*(UPDATE|INSERT|WITH)/i.test(text))).toHaveLength(6);

    // Built from what the use case held: the same as reading the assessment back.
    const reread = await testApp
      .http()
      .get(`${org}/assessments/${draft.id}`)
      .set(owner.auth)
      .expect(200);
    expect(submitted?.body).toEqual(reread.body);
    expect(reread.body).toMatchObject({ status: 'submitted' });
    expect(reread.body.answers).toHaveLength(2);
  });
});
