import { randomUUID } from 'node:crypto';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

interface Dimension {
  key: string;
  levels: { level: number; criteria: { key: string }[] }[];
}

/** Makes `user` a member with `role` directly in the database (invitations are tested elsewhere). */
async function addMember(
  testApp: TestApp,
  organizationId: string,
  user: SignedInUser,
  role: string,
) {
  await withClient(testApp.database.migrationUrl, async (client) => {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
    await client.query(
      `INSERT INTO memberships (organization_id, user_id, role, updated_at) VALUES ($1, $2, $3, now())`,
      [organizationId, user.id, role],
    );
    await client.query('COMMIT');
  });
}

async function countAssessments(testApp: TestApp, organizationId: string, teamId: string) {
  return withClient(testApp.database.migrationUrl, async (client) => {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM assessments WHERE team_id = $1',
      [teamId],
    );
    await client.query('COMMIT');
    return Number(rows[0].n);
  });
}

describe('assessments', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;
  let teamId: string;
  let dimensions: Dimension[];
  const modelVersionId = builtinVersionId('mlops-maturity', 1);

  const createDraft = async (body: object = { modelVersionId }) => {
    const response = await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send(body)
      .expect(201);
    return response;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
    const team = await testApp
      .http()
      .post(`${org}/teams`)
      .set(owner.auth)
      .send({ name: 'Recommendations', slug: 'recs' })
      .expect(201);
    teamId = team.body.id;
    const tree = await testApp
      .http()
      .get(`${org}/maturity-models`)
      .set(owner.auth)
      .expect(200)
      .then((list) =>
        testApp
          .http()
          .get(`${org}/maturity-models/${list.body.items[0].id}/versions/1`)
          .set(owner.auth)
          .expect(200),
      );
    dimensions = tree.body.dimensions;
  });
  afterAll(() => testApp.close());

  it('creates a draft with an ETag and validates the model version and target levels', async () => {
    const created = await createDraft({ modelVersionId, targetLevels: { testing: 2 } });
    expect(created.headers.etag).toEqual(expect.any(String));
    expect(created.body).toMatchObject({
      status: 'draft',
      teamId,
      modelVersionId,
      modelVersion: 1,
      targetLevels: { testing: 2 },
      answers: [],
      result: null,
      createdById: owner.id,
      etag: created.headers.etag,
    });
    const bad = await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId, targetLevels: { testing: 4, astrology: 1, monitoring: 2 } })
      .expect(422);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'targetLevels.testing',
      'targetLevels.astrology',
    ]);
    await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: randomUUID() })
      .expect(404);
    await testApp
      .http()
      .post(`${org}/teams/${randomUUID()}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId })
      .expect(404);
    await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId, colour: 'blue' })
      .expect(400);

    // A draft model version cannot be assessed against.
    const clone = await testApp
      .http()
      .post(`${org}/maturity-models`)
      .set(owner.auth)
      .send({ name: 'Draft only', fromVersionId: modelVersionId })
      .expect(201);
    await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: clone.body.versions[0].id })
      .expect(422);
  });

  it('creates once per Idempotency-Key: retries replay the first response', async () => {
    const before = await countAssessments(testApp, organizationId, teamId);
    const key = `create-${randomUUID()}`;
    const send = (body: object) =>
      testApp
        .http()
        .post(`${org}/teams/${teamId}/assessments`)
        .set(owner.auth)
        .set('Idempotency-Key', key)
        .send(body);
    const first = await send({ modelVersionId, targetLevels: { testing: 1 } }).expect(201);
    // Same body, keys in another order: the same request.
    const retry = await send({ targetLevels: { testing: 1 }, modelVersionId }).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await countAssessments(testApp, organizationId, teamId)).toBe(before + 1);

    const reused = await send({ modelVersionId }).expect(422);
    expect(reused.body.detail).toContain('idempotency key reused with a different request');

    // Two identical requests at the same time: one assessment, both answers carry its id.
    const raceKey = `race-${randomUUID()}`;
    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        testApp
          .http()
          .post(`${org}/teams/${teamId}/assessments`)
          .set(owner.auth)
          .set('Idempotency-Key', raceKey)
          .send({ modelVersionId }),
      ),
    );
    expect(racing.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(new Set(racing.map((response) => response.body.id)).size).toBe(1);
    expect(await countAssessments(testApp, organizationId, teamId)).toBe(before + 2);

    await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .set('Idempotency-Key', 'bad key with spaces')
      .send({ modelVersionId })
      .expect(400);
  });

  it('upserts answers with If-Match, naming unknown criterion keys, and stores nothing on error', async () => {
    const created = await createDraft();
    const id = created.body.id;
    const [first, second] = dimensions[0].levels[0].criteria;

    const unknown = await testApp
      .http()
      .put(`${org}/assessments/${id}/answers`)
      .set(owner.auth)
      .send({
        answers: [
          { criterionKey: first.key, status: 'met' },
          { criterionKey: 'testing.crystal_ball', status: 'met' },
          { criterionKey: 'nope.nothing', status: 'not_met' },
        ],
      })
      .expect(422);
    expect(unknown.body.unknownCriterionKeys).toEqual(['testing.crystal_ball', 'nope.nothing']);
    expect(unknown.body.detail).toContain('testing.crystal_ball');
    const untouched = await testApp.http().get(`${org}/assessments/${id}`).set(owner.auth);
    expect(untouched.body.answers).toEqual([]);
    expect(untouched.headers.etag).toBe(created.headers.etag);

    const answered = await testApp
      .http()
      .put(`${org}/assessments/${id}/answers`)
      .set(owner.auth)
      .set('If-Match', created.headers.etag)
      .send({
        answers: [
          { criterionKey: first.key, status: 'met', evidenceUrl: 'https://ci.example.com/runs/1' },
          { criterionKey: second.key, status: 'not_met', note: 'only for the batch job' },
        ],
      })
      .expect(200);
    expect(answered.headers.etag).not.toBe(created.headers.etag);
    const expectedAnswers = [
      expect.objectContaining({
        criterionKey: first.key,
        status: 'met',
        evidenceUrl: 'https://ci.example.com/runs/1',
        note: null,
        answeredById: owner.id,
      }),
      expect.objectContaining({
        criterionKey: second.key,
        status: 'not_met',
        note: 'only for the batch job',
      }),
    ];
    // Answers come back by criterion key.
    expect(answered.body.answers).toEqual(
      first.key < second.key ? expectedAnswers : expectedAnswers.reverse(),
    );

    // Stale ETag: 412 and nothing changes.
    await testApp
      .http()
      .put(`${org}/assessments/${id}/answers`)
      .set(owner.auth)
      .set('If-Match', created.headers.etag)
      .send({ answers: [{ criterionKey: second.key, status: 'met' }] })
      .expect(412);
    const read = await testApp.http().get(`${org}/assessments/${id}`).set(owner.auth).expect(200);
    expect(read.headers.etag).toBe(answered.headers.etag);
    expect(read.body.answers).toEqual(answered.body.answers);

    // Upsert: the listed criterion is replaced, the others stay.
    const upserted = await testApp
      .http()
      .put(`${org}/assessments/${id}/answers`)
      .set(owner.auth)
      .set('If-Match', read.headers.etag)
      .send({ answers: [{ criterionKey: second.key, status: 'met' }] })
      .expect(200);
    const statuses = Object.fromEntries(
      upserted.body.answers.map((a: { criterionKey: string; status: string }) => [
        a.criterionKey,
        a.status,
      ]),
    );
    expect(statuses).toEqual({ [first.key]: 'met', [second.key]: 'met' });
    await testApp
      .http()
      .put(`${org}/assessments/${id}/answers`)
      .set(owner.auth)
      .send({ answers: [{ criterionKey: first.key, status: 'maybe' }] })
      .expect(400);

    // Drafts can be deleted.
    await testApp.http().delete(`${org}/assessments/${id}`).set(owner.auth).expect(204);
    await testApp.http().get(`${org}/assessments/${id}`).set(owner.auth).expect(404);
  });

  it('gates levels: level-2 criteria all met but one level-1 criterion not met -> level 0', async () => {
    const created = await createDraft();
    const [gated, clean] = dimensions;
    const [l1, l2] = gated.levels;
    const answers = [
      ...l1.criteria.map((c, i) => ({ criterionKey: c.key, status: i === 0 ? 'not_met' : 'met' })),
      ...l2.criteria.map((c) => ({ criterionKey: c.key, status: 'met' })),
      ...clean.levels[0].criteria.map((c) => ({ criterionKey: c.key, status: 'met' })),
    ];
    await testApp
      .http()
      .put(`${org}/assessments/${created.body.id}/answers`)
      .set(owner.auth)
      .send({ answers })
      .expect(200);
    const submitted = await testApp
      .http()
      .post(`${org}/assessments/${created.body.id}/submit`)
      .set(owner.auth)
      .expect(200);
    const byKey = Object.fromEntries(
      submitted.body.result.dimensions.map((d: { dimensionKey: string }) => [d.dimensionKey, d]),
    );
    expect(byKey[gated.key].level).toBe(0);
    expect(byKey[gated.key].score).toBeLessThan(1);
    expect(byKey[gated.key].gaps.map((gap: { key: string }) => gap.key)).toContain(
      l1.criteria[0].key,
    );
    expect(byKey[clean.key].level).toBe(1);
    expect(submitted.body.result.minimumLevel).toBe(0);
  });

  it('freezes a submitted assessment: second submit, edits and delete answer 409', async () => {
    const created = await createDraft();
    const id = created.body.id;
    await testApp
      .http()
      .post(`${org}/assessments/${id}/submit`)
      .set(owner.auth)
      .set('If-Match', '"stale"')
      .expect(412);
    const submitted = await testApp
      .http()
      .post(`${org}/assessments/${id}/submit`)
      .set(owner.auth)
      .set('If-Match', created.headers.etag)
      .expect(200);
    expect(submitted.body.status).toBe('submitted');
    expect(submitted.body.submittedAt).toEqual(expect.any(String));
    expect(submitted.body.result).toMatchObject({ modelVersion: 1, band: 'manual' });
    await testApp.http().post(`${org}/assessments/${id}/submit`).set(owner.auth).expect(409);
    await testApp
      .http()
      .put(`${org}/assessments/${id}/answers`)
      .set(owner.auth)
      .send({ answers: [{ criterionKey: dimensions[0].levels[0].criteria[0].key, status: 'met' }] })
      .expect(409);
    await testApp.http().delete(`${org}/assessments/${id}`).set(owner.auth).expect(409);
    const read = await testApp.http().get(`${org}/assessments/${id}`).set(owner.auth).expect(200);
    expect(read.body.result).toEqual(submitted.body.result);
  });

  it('lets a viewer read but not write assessments', async () => {
    const viewer = await signUp(testApp, 'Viewer');
    await addMember(testApp, organizationId, viewer, 'viewer');
    const created = await createDraft();
    await testApp.http().get(`${org}/assessments/${created.body.id}`).set(viewer.auth).expect(200);
    await testApp
      .http()
      .post(`${org}/assessments/${created.body.id}/submit`)
      .set(viewer.auth)
      .expect(403);
    await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(viewer.auth)
      .send({ modelVersionId })
      .expect(403);
    const assessor = await signUp(testApp, 'Assessor');
    await addMember(testApp, organizationId, assessor, 'assessor');
    await testApp
      .http()
      .post(`${org}/assessments/${created.body.id}/submit`)
      .set(assessor.auth)
      .expect(200);
  });
});
