import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';

interface Dimension {
  key: string;
  levels: { level: number; criteria: { key: string }[] }[];
}

/**
 * The core loop of the product over HTTP: a team is assessed twice, with better answers the
 * second time; the history, the diff between the two and the progress series tell the story.
 */
describe('scoring journey: assess a team twice, read history, diff and progress', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let org: string;
  let teamId: string;
  let dimensions: Dimension[];
  const modelVersionId = builtinVersionId('mlops-maturity', 1);

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    org = `/v1/organizations/${await createOrganization(testApp, owner)}`;
    const team = await testApp
      .http()
      .post(`${org}/teams`)
      .set(owner.auth)
      .send({ name: 'Search ranking', slug: 'search' })
      .expect(201);
    teamId = team.body.id;
    const catalogue = await testApp.http().get('/v1/maturity-models').set(owner.auth).expect(200);
    const version = await testApp
      .http()
      .get(`/v1/maturity-models/${catalogue.body.items[0].id}/versions/1`)
      .set(owner.auth)
      .expect(200);
    dimensions = version.body.dimensions;
  });
  afterAll(() => testApp.close());

  async function assess(answers: { criterionKey: string; status: string }[]) {
    const created = await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId, targetLevels: { [dimensions[0].key]: 2 } })
      .expect(201);
    const answered = await testApp
      .http()
      .put(`${org}/assessments/${created.body.id}/answers`)
      .set(owner.auth)
      .set('If-Match', created.headers.etag)
      .send({ answers })
      .expect(200);
    const submitted = await testApp
      .http()
      .post(`${org}/assessments/${created.body.id}/submit`)
      .set(owner.auth)
      .set('If-Match', answered.headers.etag)
      .expect(200);
    return submitted.body;
  }

  it('records, compares and charts two assessments', async () => {
    const [first, second] = dimensions;
    const level1 = (dimension: Dimension) => dimension.levels[0].criteria;
    // Q1: the first dimension misses one level-1 criterion; the second holds level 1.
    const q1 = await assess([
      ...level1(first).map((c, i) => ({
        criterionKey: c.key,
        status: i === 0 ? 'not_met' : 'met',
      })),
      ...level1(second).map((c) => ({ criterionKey: c.key, status: 'met' })),
    ]);
    // Q2: the gap is closed; the second dimension regresses.
    const q2 = await assess([
      ...level1(first).map((c) => ({ criterionKey: c.key, status: 'met' })),
      ...level1(second).map((c, i) => ({
        criterionKey: c.key,
        status: i === 0 ? 'not_met' : 'met',
      })),
    ]);
    const level = (
      result: { dimensions: { dimensionKey: string; level: number }[] },
      key: string,
    ) => result.dimensions.find((d) => d.dimensionKey === key)?.level;
    expect([level(q1.result, first.key), level(q1.result, second.key)]).toEqual([0, 1]);
    expect([level(q2.result, first.key), level(q2.result, second.key)]).toEqual([1, 0]);

    // A draft in between does not show as scored history.
    await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId })
      .expect(201);

    // History: newest first, with scores; filterable by status; paged by cursor.
    const history = await testApp
      .http()
      .get(`${org}/teams/${teamId}/assessments?status=submitted`)
      .set(owner.auth)
      .expect(200);
    expect(history.body.items.map((a: { id: string }) => a.id)).toEqual([q2.id, q1.id]);
    expect(history.body.items[0]).toMatchObject({
      status: 'submitted',
      score: q2.result.score,
      minimumLevel: 0,
      band: 'manual',
    });
    const all = await testApp
      .http()
      .get(`${org}/teams/${teamId}/assessments?limit=2`)
      .set(owner.auth)
      .expect(200);
    expect(all.body.items[0]).toMatchObject({ status: 'draft', score: null });
    const rest = await testApp
      .http()
      .get(`${org}/teams/${teamId}/assessments?limit=2&cursor=${all.body.nextCursor}`)
      .set(owner.auth)
      .expect(200);
    expect(rest.body.items.map((a: { id: string }) => a.id)).toEqual([q1.id]);
    const future = await testApp
      .http()
      .get(`${org}/teams/${teamId}/assessments?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`)
      .set(owner.auth)
      .expect(200);
    expect(future.body.items).toEqual([]);

    // Diff: Q1 -> Q2, per criterion and why each dimension moved.
    const diff = await testApp
      .http()
      .get(`${org}/assessments/${q2.id}/diff?against=${q1.id}`)
      .set(owner.auth)
      .expect(200);
    expect(diff.body).toMatchObject({
      assessmentId: q2.id,
      againstId: q1.id,
      scoreBefore: q1.result.score,
      scoreAfter: q2.result.score,
    });
    expect(diff.body.criteria).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          criterionKey: level1(first)[0].key,
          statusBefore: 'not_met',
          statusAfter: 'met',
        }),
        expect.objectContaining({
          criterionKey: level1(second)[0].key,
          statusBefore: 'met',
          statusAfter: 'not_met',
        }),
      ]),
    );
    const moved = (key: string) =>
      diff.body.dimensions.find((d: { dimensionKey: string }) => d.dimensionKey === key);
    expect(moved(first.key)).toMatchObject({ levelBefore: 0, levelAfter: 1 });
    expect(moved(first.key).reasons).toEqual(expect.arrayContaining(['level 1 gate now passes']));
    expect(moved(second.key).reasons.join('\n')).toContain(
      `level 1 gate now fails on ${level1(second)[0].key}`,
    );
    const drafts = await testApp
      .http()
      .get(`${org}/teams/${teamId}/assessments?status=draft`)
      .set(owner.auth);
    await testApp
      .http()
      .get(`${org}/assessments/${q2.id}/diff?against=${drafts.body.items[0].id}`)
      .set(owner.auth)
      .expect(409);

    // Progress: one point per dimension plus the overall one per submission, oldest first.
    const series = await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress`)
      .set(owner.auth)
      .expect(200);
    expect(series.body.items).toHaveLength(2 * (dimensions.length + 1));
    const causes = series.body.items.map((p: { causeId: string }) => p.causeId);
    expect(causes.slice(0, dimensions.length + 1).every((id: string) => id === q1.id)).toBe(true);
    expect(causes.slice(dimensions.length + 1).every((id: string) => id === q2.id)).toBe(true);
    const overall = await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?dimension=overall`)
      .set(owner.auth)
      .expect(200);
    expect(overall.body.items).toEqual([
      expect.objectContaining({
        dimensionKey: null,
        score: q1.result.score,
        level: q1.result.minimumLevel,
        cause: 'assessment',
        causeId: q1.id,
        modelVersionId,
      }),
      expect.objectContaining({ dimensionKey: null, score: q2.result.score, causeId: q2.id }),
    ]);
    const firstSeries = await testApp
      .http()
      .get(`${org}/teams/${teamId}/progress?dimension=${first.key}`)
      .set(owner.auth)
      .expect(200);
    expect(firstSeries.body.items.map((p: { level: number }) => p.level)).toEqual([0, 1]);
  });
});
