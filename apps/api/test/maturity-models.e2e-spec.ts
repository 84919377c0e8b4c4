import { defaultMaturityModel } from '@app/maturity-model';
import {
  builtinModelId,
  builtinVersionId,
  loadBuiltinCatalogue,
} from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

interface Criterion {
  key: string;
  title: string;
  question: string;
  weight: number;
}
interface Dimension {
  key: string;
  name: string;
  weight: number;
  levels: { level: number; name: string; criteria: Criterion[] }[];
}

/** Makes `user` a member with `role` directly in the database (the invitation flow is tested elsewhere). */
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

describe('maturity models', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let base: string;
  const builtinId = builtinModelId('mlops-maturity');
  const builtinV1 = builtinVersionId('mlops-maturity', 1);

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    base = `/v1/organizations/${organizationId}/maturity-models`;
  });
  afterAll(() => testApp.close());

  it('serves the built-in catalogue to any signed-in user, with the full tree', async () => {
    await testApp.http().get('/v1/maturity-models').expect(401);
    const list = await testApp.http().get('/v1/maturity-models').set(owner.auth).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: builtinId,
        key: 'mlops-maturity',
        builtIn: true,
        versions: [expect.objectContaining({ id: builtinV1, version: 1, status: 'published' })],
        draftEtag: null,
      }),
    ]);
    const version = await testApp
      .http()
      .get(`/v1/maturity-models/${builtinId}/versions/1`)
      .set(owner.auth)
      .expect(200);
    expect(version.headers.etag).toEqual(expect.any(String));
    expect(version.body).toMatchObject({ id: builtinV1, status: 'published', builtIn: true });
    const dimensions = version.body.dimensions as Dimension[];
    expect(dimensions).toHaveLength(8);
    for (const dimension of dimensions) {
      expect(dimension.levels.map((level) => level.level)).toEqual([1, 2, 3]);
      for (const level of dimension.levels) expect(level.criteria.length).toBeGreaterThan(0);
    }
    // The same tree through the organization's route.
    const viaOrg = await testApp.http().get(`${base}/${builtinId}/versions/1`).set(owner.auth);
    expect(viaOrg.status).toBe(200);
    expect(viaOrg.body.dimensions).toEqual(dimensions);
    await testApp
      .http()
      .get(`/v1/maturity-models/${builtinId}/versions/2`)
      .set(owner.auth)
      .expect(404);
    await testApp
      .http()
      .get(`/v1/maturity-models/${builtinId}/versions/x`)
      .set(owner.auth)
      .expect(404);
  });

  it('loads the catalogue idempotently and refuses a changed published version', async () => {
    const url = testApp.database.migrationUrl;
    await loadBuiltinCatalogue(url);
    await loadBuiltinCatalogue(url);
    const changed = {
      ...defaultMaturityModel,
      dimensions: defaultMaturityModel.dimensions.map((d, i) =>
        i === 0 ? { ...d, weight: 9 } : d,
      ),
    };
    await expect(loadBuiltinCatalogue(url, { models: [changed] })).rejects.toThrow(
      /differs from the one in the code.*bump|never change/s,
    );
    await expect(
      loadBuiltinCatalogue(url, { models: [{ ...defaultMaturityModel, dimensions: [] }] }),
    ).rejects.toThrow(/is invalid/);
    const list = await testApp.http().get('/v1/maturity-models').set(owner.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('clones, edits (with If-Match), publishes, starts v2, publishes it and diffs v1..v2', async () => {
    const cloned = await testApp
      .http()
      .post(base)
      .set(owner.auth)
      .send({ name: 'Our MLOps maturity', fromVersionId: builtinV1 })
      .expect(201);
    const modelId: string = cloned.body.id;
    expect(cloned.body).toMatchObject({
      key: 'our-mlops-maturity',
      builtIn: false,
      clonedFromVersionId: builtinV1,
      versions: [expect.objectContaining({ version: 1, status: 'draft', publishedAt: null })],
    });
    expect(cloned.headers.etag).toBe(cloned.body.draftEtag);

    const listed = await testApp.http().get(base).set(owner.auth).expect(200);
    expect(listed.body.items.map((model: { id: string }) => model.id)).toEqual([
      modelId,
      builtinId,
    ]);

    const draft = await testApp.http().get(`${base}/${modelId}/versions/1`).set(owner.auth);
    expect(draft.body.status).toBe('draft');
    const dimensions = draft.body.dimensions as Dimension[];
    const testing = dimensions.find((d) => d.key === 'testing')!;
    const [firstL1, secondL1] = testing.levels[0].criteria;
    const governance = dimensions[dimensions.length - 1];

    const edited = await testApp
      .http()
      .patch(`${base}/${modelId}`)
      .set(owner.auth)
      .set('If-Match', draft.headers.etag)
      .send({
        operations: [
          { op: 'update_dimension', dimensionKey: 'testing', name: 'Testing & quality', weight: 2 },
          {
            op: 'update_criterion',
            criterionKey: firstL1.key,
            weight: 5,
            question: 'Do unit tests run on every pull request, and block the merge?',
          },
          { op: 'remove_criterion', criterionKey: secondL1.key },
          {
            op: 'add_criterion',
            dimensionKey: 'testing',
            level: 2,
            criterion: {
              key: 'testing.contract_tests',
              title: 'Serving contract tests',
              question: 'Do contract tests check the serving API against its clients?',
              guidance: 'Run consumer-driven contract tests in CI for the prediction API.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:contract-tests',
              sources: ['Our platform guidelines'],
            },
          },
          { op: 'remove_dimension', dimensionKey: governance.key },
        ],
      })
      .expect(200);
    expect(edited.headers.etag).not.toBe(draft.headers.etag);
    expect(edited.body.dimensions).toHaveLength(dimensions.length - 1);

    // A stale ETag: 412 and nothing changes.
    await testApp
      .http()
      .patch(`${base}/${modelId}`)
      .set(owner.auth)
      .set('If-Match', draft.headers.etag)
      .send({ name: 'Stale' })
      .expect(412);
    // An edit that leaves an invalid model: 422 listing the problems, nothing changes.
    const invalid = await testApp
      .http()
      .patch(`${base}/${modelId}`)
      .set(owner.auth)
      .send({
        operations: [
          { op: 'remove_criterion', criterionKey: 'testing.nope' },
          {
            op: 'add_criterion',
            dimensionKey: 'testing',
            level: 1,
            criterion: {
              key: 'monitoring.misplaced',
              title: 't',
              question: 'q',
              guidance: 'g',
              weight: 1,
              evidence: 'human',
              sources: ['s'],
            },
          },
        ],
      })
      .expect(422);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    expect(invalid.body.problems).toEqual([
      expect.stringContaining("criterion 'testing.nope' does not exist"),
      expect.stringContaining("key must start with its dimension key 'testing.'"),
    ]);
    // Unknown operation and fields: 400 from the validator.
    await testApp
      .http()
      .patch(`${base}/${modelId}`)
      .set(owner.auth)
      .send({ operations: [{ op: 'rename_everything' }] })
      .expect(400);
    await testApp
      .http()
      .patch(`${base}/${modelId}`)
      .set(owner.auth)
      .send({ operations: [{ op: 'remove_dimension', dimensionKey: 'testing', extra: 1 }] })
      .expect(400);
    const unchanged = await testApp.http().get(`${base}/${modelId}/versions/1`).set(owner.auth);
    expect(unchanged.headers.etag).toBe(edited.headers.etag);
    expect(unchanged.body.dimensions).toEqual(edited.body.dimensions);

    const published = await testApp
      .http()
      .post(`${base}/${modelId}/publish`)
      .set(owner.auth)
      .set('If-Match', edited.headers.etag)
      .expect(200);
    expect(published.body).toMatchObject({ version: 1, status: 'published' });
    expect(published.body.publishedAt).toEqual(expect.any(String));

    // Published versions never change.
    const frozen = await testApp
      .http()
      .patch(`${base}/${modelId}`)
      .set(owner.auth)
      .send({ name: 'Changed after publishing' })
      .expect(409);
    expect(frozen.body.detail).toContain('published versions never change');
    await testApp.http().post(`${base}/${modelId}/publish`).set(owner.auth).expect(409);
    await expect(
      withClient(testApp.database.applicationUrl, async (client) => {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
        await client.query(`UPDATE maturity_model_versions SET definition = '{}' WHERE id = $1`, [
          published.body.id,
        ]);
      }),
    ).rejects.toThrow(/is published and cannot change/);

    // Version 2: a new draft from v1, one change, published.
    const draft2 = await testApp
      .http()
      .post(`${base}/${modelId}/draft`)
      .set(owner.auth)
      .expect(201);
    expect(draft2.body).toMatchObject({ version: 2, status: 'draft' });
    await testApp.http().post(`${base}/${modelId}/draft`).set(owner.auth).expect(409);
    await testApp.http().post(`${base}/${modelId}/publish`).set(owner.auth).expect(409); // no change
    await testApp
      .http()
      .patch(`${base}/${modelId}`)
      .set(owner.auth)
      .set('If-Match', draft2.headers.etag)
      .send({
        operations: [
          { op: 'update_criterion', criterionKey: 'testing.contract_tests', level: 3 },
          { op: 'update_dimension', dimensionKey: 'testing', weight: 3 },
        ],
      })
      .expect(200);
    await testApp.http().post(`${base}/${modelId}/publish`).set(owner.auth).expect(200);

    const model = await testApp.http().get(`${base}/${modelId}`).set(owner.auth).expect(200);
    expect(
      model.body.versions.map((v: { version: number; status: string }) => [v.version, v.status]),
    ).toEqual([
      [1, 'published'],
      [2, 'published'],
    ]);
    const diff = await testApp
      .http()
      .get(`${base}/${modelId}/versions/1/diff/2`)
      .set(owner.auth)
      .expect(200);
    expect(diff.body).toMatchObject({ from: { version: 1 }, to: { version: 2 } });
    expect(diff.body.changes).toEqual([
      { kind: 'dimension_changed', key: 'testing', fields: ['weight'] },
      { kind: 'criterion_changed', key: 'testing.contract_tests', fields: ['level'], level: 3 },
    ]);
    const same = await testApp.http().get(`${base}/${modelId}/versions/2/diff/2`).set(owner.auth);
    expect(same.body.changes).toEqual([]);
    await testApp.http().get(`${base}/${modelId}/versions/1/diff/3`).set(owner.auth).expect(404);

    const audit = await testApp
      .http()
      .get(`/v1/organizations/${organizationId}/audit-events`)
      .set(owner.auth)
      .expect(200);
    const actions = audit.body.items.map((event: { action: string }) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'maturity_model.cloned',
        'maturity_model.draft_updated',
        'maturity_model.published',
        'maturity_model.draft_started',
      ]),
    );
  });

  it('keeps built-in models read-only and clones only visible published versions', async () => {
    await testApp
      .http()
      .patch(`${base}/${builtinId}`)
      .set(owner.auth)
      .send({ name: 'x' })
      .expect(409);
    await testApp.http().post(`${base}/${builtinId}/publish`).set(owner.auth).expect(409);
    await testApp
      .http()
      .post(base)
      .set(owner.auth)
      .send({ name: 'Ghost', fromVersionId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
    const cloned = await testApp
      .http()
      .post(base)
      .set(owner.auth)
      .send({ name: 'Draft source', fromVersionId: builtinV1 })
      .expect(201);
    const draftId = cloned.body.versions[0].id;
    await testApp
      .http()
      .post(base)
      .set(owner.auth)
      .send({ name: 'From a draft', fromVersionId: draftId })
      .expect(422);

    // Another organization sees the catalogue but not this organization's models.
    const other = await signUp(testApp);
    const otherOrganization = await createOrganization(testApp, other);
    const theirs = await testApp
      .http()
      .get(`/v1/organizations/${otherOrganization}/maturity-models`)
      .set(other.auth)
      .expect(200);
    expect(theirs.body.items.map((model: { id: string }) => model.id)).toEqual([builtinId]);
    await testApp
      .http()
      .post(`/v1/organizations/${otherOrganization}/maturity-models`)
      .set(other.auth)
      .send({ name: 'Stolen', fromVersionId: draftId })
      .expect(404);
  });

  it('lets every member read models and only owners and admins change them', async () => {
    const viewer = await signUp(testApp, 'Viewer');
    await addMember(testApp, organizationId, viewer, 'viewer');
    await testApp.http().get(base).set(viewer.auth).expect(200);
    await testApp
      .http()
      .post(base)
      .set(viewer.auth)
      .send({ name: 'Mine', fromVersionId: builtinV1 })
      .expect(403);
  });
});

describe('OpenAPI for models, assessments and progress', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('documents every route with its parameters and bodies', () => {
    const paths = testApp.document.paths;
    const expected: Record<string, string[]> = {
      '/v1/maturity-models': ['get'],
      '/v1/maturity-models/{modelId}': ['get'],
      '/v1/maturity-models/{modelId}/versions/{version}': ['get'],
      '/v1/organizations/{orgId}/maturity-models': ['get', 'post'],
      '/v1/organizations/{orgId}/maturity-models/{modelId}': ['get', 'patch'],
      '/v1/organizations/{orgId}/maturity-models/{modelId}/draft': ['post'],
      '/v1/organizations/{orgId}/maturity-models/{modelId}/publish': ['post'],
      '/v1/organizations/{orgId}/maturity-models/{modelId}/versions/{version}': ['get'],
      '/v1/organizations/{orgId}/maturity-models/{modelId}/versions/{version}/diff/{otherVersion}':
        ['get'],
      '/v1/organizations/{orgId}/teams/{teamId}/assessments': ['get', 'post'],
      '/v1/organizations/{orgId}/assessments/{assessmentId}': ['get', 'delete'],
      '/v1/organizations/{orgId}/assessments/{assessmentId}/answers': ['put'],
      '/v1/organizations/{orgId}/assessments/{assessmentId}/submit': ['post'],
      '/v1/organizations/{orgId}/assessments/{assessmentId}/diff': ['get'],
      '/v1/organizations/{orgId}/teams/{teamId}/progress': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(paths[path] ?? {})).toEqual(expect.arrayContaining(methods));
    }
    const schemas = testApp.document.components?.schemas ?? {};
    for (const name of [
      'AddCriterionOperationDto',
      'UpdateDraftDto',
      'ModelVersionDto',
      'AssessmentDto',
      'AssessmentDiffDto',
      'ProgressSeriesDto',
    ]) {
      expect(schemas).toHaveProperty(name);
    }
  });
});
