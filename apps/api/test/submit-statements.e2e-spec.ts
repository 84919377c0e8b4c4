import { Client } from 'pg';
import { APPLICATION_ROLE } from '@app/database/database-roles';
import { createOrganization, createTeamWithDraft, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Statements the application's pool sends while `work` runs. Every pooled connection is a pg
 * Client of the application role, so counting its query() calls counts round trips, BEGIN and
 * COMMIT included; the job queue's own connections (the owner role) are not the request's.
 */
async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (
    this: Client,
    ...args: unknown[]
  ) {
    if ((this as Client & { user?: string }).user !== APPLICATION_ROLE) {
      return (original as (...all: unknown[]) => unknown).apply(this, args);
    }
    const config = args[0];
    const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
    sent.push((text ?? '').replace(/\s+/g, ' ').slice(0, 80));
    return (original as (...all: unknown[]) => unknown).apply(this, args);
  } as never);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}

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
