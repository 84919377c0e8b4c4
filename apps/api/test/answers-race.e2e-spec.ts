import fc from 'fast-check';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

/**
 * Issue 7, cause 6: concurrent PUT .../answers without If-Match that touch the same criteria in
 * different orders deadlocked in PostgreSQL (40P01), then Prisma transactions timed out: 66 of 100
 * requests answered 500 with 20 writers and a round took 12 s. Writers now lock the assessment
 * row first, so they run one after the other and every request answers 200 (412 only for a stale
 * If-Match).
 */
const WRITERS = 20;
const ROUNDS = 5;
const STATUSES = ['met', 'not_met', 'not_applicable', 'unknown'] as const;

describe('concurrent answer writers', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let org: string;
  let teamId: string;
  let keys: string[];

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    org = `/v1/organizations/${await createOrganization(testApp, owner)}`;
    teamId = (
      await testApp
        .http()
        .post(`${org}/teams`)
        .set(owner.auth)
        .send({ name: 'Race', slug: 'race' })
        .expect(201)
    ).body.id;
    const models = await testApp.http().get(`${org}/maturity-models`).set(owner.auth).expect(200);
    const tree = await testApp
      .http()
      .get(`${org}/maturity-models/${models.body.items[0].id}/versions/1`)
      .set(owner.auth)
      .expect(200);
    keys = (tree.body.dimensions as { levels: { criteria: { key: string }[] }[] }[]).flatMap(
      (dimension) =>
        dimension.levels.flatMap((level) => level.criteria.map((criterion) => criterion.key)),
    );
    keys = keys.slice(0, 12);
  });
  afterAll(() => testApp.close());

  const newDraft = async () =>
    (
      await testApp
        .http()
        .post(`${org}/teams/${teamId}/assessments`)
        .set(owner.auth)
        .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
        .expect(201)
    ).body as { id: string; etag: string };

  it(`${WRITERS} writers without If-Match, ${ROUNDS} rounds: every request 200, quickly, state consistent`, async () => {
    const draft = await newDraft();
    // Each writer answers the same criteria in its own (shuffled) order, with its own statuses.
    const writes = fc.sample(
      fc.tuple(
        fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }),
        fc.array(fc.constantFrom(...STATUSES), { minLength: keys.length, maxLength: keys.length }),
      ),
      { numRuns: WRITERS * ROUNDS, seed: 7 },
    );
    const statuses: number[] = [];
    const roundMs: number[] = [];
    const succeeded: { criterionKey: string; status: string }[][] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = Date.now();
      const batch = writes.slice(round * WRITERS, (round + 1) * WRITERS);
      const responses = await Promise.all(
        batch.map(([order, answerStatuses]) => {
          const answers = order.map((criterionKey, index) => ({
            criterionKey,
            status: answerStatuses[index],
          }));
          return testApp
            .http()
            .put(`${org}/assessments/${draft.id}/answers`)
            .set(owner.auth)
            .send({ answers })
            .then((response) => ({ response, answers }));
        }),
      );
      roundMs.push(Date.now() - started);
      for (const { response, answers } of responses) {
        statuses.push(response.status);
        if (response.status === 200) succeeded.push(answers);
      }
    }
    console.log(
      `answers race: ${statuses.length} requests, ${WRITERS} concurrent writers; ` +
        `statuses ${JSON.stringify(countBy(statuses))}; round times ${roundMs.join(', ')} ms`,
    );
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    // Without If-Match there is no precondition to fail: writers queue on the row lock.
    expect(countBy(statuses)).toEqual({ 200: WRITERS * ROUNDS });
    for (const ms of roundMs) expect(ms).toBeLessThan(10_000);

    // Consistent: one lock-version step and one audit event per successful write, and the
    // stored answers are exactly those of one writer (the last to commit), not a mixture.
    const final = await testApp
      .http()
      .get(`${org}/assessments/${draft.id}`)
      .set(owner.auth)
      .expect(200);
    expect(final.body.etag).not.toBe(draft.etag);
    const stored = Object.fromEntries(
      (final.body.answers as { criterionKey: string; status: string }[]).map((answer) => [
        answer.criterionKey,
        answer.status,
      ]),
    );
    expect(Object.keys(stored).sort()).toEqual([...keys].sort());
    const writers = succeeded.map((answers) =>
      Object.fromEntries(answers.map((answer) => [answer.criterionKey, answer.status])),
    );
    expect(writers).toContainEqual(stored);
    const { lockVersion, audited } = await withClient(testApp.database.adminUrl, async (client) => {
      const assessment = await client.query<{ lock_version: number }>(
        'SELECT lock_version FROM assessments WHERE id = $1',
        [draft.id],
      );
      const events = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM audit_events
            WHERE entity_id = $1 AND action = 'assessment.answers_updated'`,
        [draft.id],
      );
      return {
        lockVersion: Number(assessment.rows[0].lock_version),
        audited: Number(events.rows[0].n),
      };
    });
    expect(audited).toBe(succeeded.length);
    expect(lockVersion).toBeGreaterThanOrEqual(succeeded.length);
  });

  it(`a submit among ${WRITERS} writers (no If-Match): no 5xx, and what it froze is what is stored`, async () => {
    const draft = await newDraft();
    const put = (writer: number) =>
      testApp
        .http()
        .put(`${org}/assessments/${draft.id}/answers`)
        .set(owner.auth)
        .send({
          answers: (writer % 2 ? [...keys].reverse() : keys).map((criterionKey) => ({
            criterionKey,
            status: STATUSES[writer % 4],
          })),
        });
    const submit = testApp.http().post(`${org}/assessments/${draft.id}/submit`).set(owner.auth);
    const responses = await Promise.all([
      ...Array.from({ length: WRITERS / 2 }, (_, writer) => put(writer)),
      submit,
      ...Array.from({ length: WRITERS / 2 }, (_, writer) => put(WRITERS / 2 + writer)),
    ]);
    const submitted = responses[WRITERS / 2];
    // A submit that raced a write answers 412 (its lock-version check failed), never a 5xx.
    expect([200, 412]).toContain(submitted.status);
    const writes = responses.filter((response) => response !== submitted);
    for (const response of writes) expect([200, 409]).toContain(response.status);
    const final = await testApp
      .http()
      .get(`${org}/assessments/${draft.id}`)
      .set(owner.auth)
      .expect(200);
    if (submitted.status === 200) {
      // Frozen: the result scored exactly the answers stored, and no write came after it.
      expect(final.body.status).toBe('submitted');
      expect(final.body.result).toEqual(submitted.body.result);
      expect(final.body.answers).toEqual(submitted.body.answers);
    } else {
      expect(final.body.status).toBe('draft');
      expect(writes.every((response) => response.status === 200)).toBe(true);
    }
  });

  it(`${WRITERS} writers with the same If-Match: exactly one 200, the others 412`, async () => {
    const draft = await newDraft();
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, writer) =>
        testApp
          .http()
          .put(`${org}/assessments/${draft.id}/answers`)
          .set(owner.auth)
          .set('If-Match', draft.etag)
          .send({
            answers: [...keys]
              .sort(() => (writer % 2 ? 1 : -1))
              .map((criterionKey) => ({ criterionKey, status: STATUSES[writer % 4] })),
          }),
      ),
    );
    expect(countBy(responses.map((response) => response.status))).toEqual({
      200: 1,
      412: WRITERS - 1,
    });
    for (const response of responses.filter((r) => r.status === 412)) {
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
  });
});

function countBy(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
