import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { databaseFingerprint } from './support/database-fingerprint';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The inputs of issue 7 ("500s from bad input") that each answered 500: every one must now be a
 * 4xx application/problem+json and leave the database exactly as it was.
 */
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const deeplyNested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

interface BadRequest {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: unknown;
  rawJson?: string;
  headers?: Record<string, string>;
  status: number;
  field?: string;
}

describe('bad input answers 4xx problem+json and changes nothing', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let org: string;
  let teamId: string;
  let assessmentId: string;
  let modelId: string;
  let modelEtag: string;
  let criterionKey: string;
  const builtinV1 = builtinVersionId('mlops-maturity', 1);

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    org = `/v1/organizations/${await createOrganization(testApp, owner)}`;
    const http = () => testApp.http();
    teamId = (
      await http()
        .post(`${org}/teams`)
        .set(owner.auth)
        .send({ name: 'Recs', slug: 'recs' })
        .expect(201)
    ).body.id;
    assessmentId = (
      await http()
        .post(`${org}/teams/${teamId}/assessments`)
        .set(owner.auth)
        .send({ modelVersionId: builtinV1 })
        .expect(201)
    ).body.id;
    const cloned = await http()
      .post(`${org}/maturity-models`)
      .set(owner.auth)
      .send({ name: 'Ours', fromVersionId: builtinV1 })
      .expect(201);
    modelId = cloned.body.id;
    modelEtag = cloned.headers.etag;
    const draft = await http()
      .get(`${org}/maturity-models/${modelId}/versions/1`)
      .set(owner.auth)
      .expect(200);
    criterionKey = draft.body.dimensions[0].levels[0].criteria[0].key;
  });
  afterAll(() => testApp.close());

  async function send(bad: BadRequest): Promise<Response> {
    let call = testApp.http()[bad.method](bad.path).set(owner.auth);
    for (const [name, value] of Object.entries(bad.headers ?? {})) call = call.set(name, value);
    if (bad.rawJson !== undefined) {
      call = call.set('content-type', 'application/json').send(bad.rawJson);
    } else if (bad.body !== undefined) {
      call = call.send(bad.body as object);
    }
    return call;
  }

  async function expectRefused(cases: BadRequest[]) {
    const before = await databaseFingerprint(testApp);
    for (const bad of cases) {
      const response = await send(bad);
      const label = `${bad.method.toUpperCase()} ${bad.path} ${JSON.stringify(bad.body ?? bad.rawJson?.slice(0, 40) ?? '')}`;
      expect({ label, status: response.status }).toEqual({ label, status: bad.status });
      expect({ label, type: response.headers['content-type'] }).toEqual({
        label,
        type: 'application/problem+json; charset=utf-8',
      });
      expect(response.body).toMatchObject({ status: bad.status, instance: expect.any(String) });
      if (bad.field) {
        expect({
          label,
          fields: response.body.errors?.map((e: { field: string }) => e.field),
        }).toEqual({
          label,
          fields: expect.arrayContaining([bad.field]),
        });
      }
    }
    expect(await databaseFingerprint(testApp)).toEqual(before);
  }

  /** The lists that take a from/to time range (all but the model catalogues). */
  const timeRangedLists = () => [
    `${org}/api-keys`,
    `${org}/audit-events`,
    `${org}/invitations`,
    `${org}/members`,
    `${org}/teams`,
    `${org}/teams/${teamId}/assessments`,
    `${org}/teams/${teamId}/progress`,
  ];

  it('1. a cursor that decodes but holds a non-UUID id or an unstorable time, on all 9 lists', async () => {
    const lists = ['/v1/maturity-models', `${org}/maturity-models`, ...timeRangedLists()];
    const cursors = [
      cursorOf(['2024-01-01T00:00:00Z', 'x']),
      cursorOf(['-200000-01-01T00:00:00Z', randomUUID()]),
      Buffer.from(JSON.stringify(['2024-01-01T00:00:00Z', 'x'])).toString('base64'),
    ];
    await expectRefused(
      lists.flatMap((list) =>
        cursors.map((cursor) => ({
          method: 'get' as const,
          path: `${list}?cursor=${encodeURIComponent(cursor)}`,
          status: 400,
          field: 'cursor',
        })),
      ),
    );
  });

  it('2. from/to and expiresAt in forms only @IsDateString accepted (RFC 3339 date-times only)', async () => {
    const forms = ['2024-W01', '20240101', '0000-01-01', '2099-W01', '2024-01-01'];
    const ranged = timeRangedLists();
    await expectRefused([
      ...ranged.flatMap((list) =>
        forms.flatMap((form) =>
          ['from', 'to'].map((field) => ({
            method: 'get' as const,
            path: `${list}?${field}=${form}`,
            status: 400,
            field,
          })),
        ),
      ),
      ...forms.map((expiresAt) => ({
        method: 'post' as const,
        path: `${org}/api-keys`,
        body: { name: 'ci', scopes: ['assessments:read'], expiresAt },
        status: 400,
        field: 'expiresAt',
      })),
    ]);
    // The real thing still works.
    await testApp
      .http()
      .get(`${org}/teams?from=2024-01-01T00:00:00Z&to=2999-01-01T00:00:00.5%2B02:00`)
      .set(owner.auth)
      .expect(200);
  });

  it('3. NUL and unpaired surrogates in any text, naming the field', async () => {
    await expectRefused([
      {
        method: 'post',
        path: `${org}/teams`,
        body: { name: 'a\u0000b', slug: 'nul' },
        status: 400,
        field: 'name',
      },
      {
        method: 'patch',
        path: `${org}/teams/${teamId}`,
        body: { name: '\ud800' },
        status: 400,
        field: 'name',
      },
      {
        method: 'post',
        path: '/v1/auth/signup',
        body: { email: 'nul@example.com', password: 'correct horse battery', name: 'x\u0000' },
        status: 400,
        field: 'name',
      },
      {
        method: 'post',
        path: '/v1/auth/signup',
        body: { email: 'a\ud800@example.com', password: 'correct horse battery', name: 'x' },
        status: 400,
        field: 'email',
      },
      {
        method: 'post',
        path: '/v1/auth/signup',
        body: { email: 'b@example.com', password: 'correct horse battery', name: '\udfff' },
        status: 400,
        field: 'name',
      },
      {
        method: 'put',
        path: `${org}/assessments/${assessmentId}/answers`,
        body: { answers: [{ criterionKey, status: 'met', note: 'see\u0000log' }] },
        status: 400,
        field: 'answers[0].note',
      },
      {
        method: 'get',
        path: `${org}/audit-events?entityType=%00`,
        status: 400,
        field: 'entityType',
      },
    ]);
  });

  it('4. JSON nested 5,000 deep in any body', async () => {
    await expectRefused([
      {
        method: 'post',
        path: `${org}/teams`,
        rawJson: `{"name":${deeplyNested(5000)}}`,
        status: 400,
      },
      { method: 'post', path: '/v1/auth/signup', rawJson: deeplyNested(5000), status: 400 },
      {
        method: 'put',
        path: `${org}/assessments/${assessmentId}/answers`,
        rawJson: `{"answers":${deeplyNested(5000)}}`,
        status: 400,
      },
      {
        method: 'patch',
        path: `${org}/maturity-models/${modelId}`,
        headers: { 'If-Match': modelEtag },
        rawJson: `{"operations":${deeplyNested(5000)}}`,
        status: 400,
      },
    ]);
  });

  it('5. null where a field is optional', async () => {
    await expectRefused([
      {
        method: 'patch',
        path: `${org}/teams/${teamId}`,
        body: { slug: null },
        status: 400,
        field: 'slug',
      },
      { method: 'patch', path: org, body: { slug: null }, status: 400, field: 'slug' },
      { method: 'patch', path: org, body: { name: null }, status: 400, field: 'name' },
      {
        method: 'post',
        path: `${org}/teams/${teamId}/assessments`,
        body: { modelVersionId: builtinV1, targetLevels: null },
        status: 400,
        field: 'targetLevels',
      },
      {
        method: 'patch',
        path: `${org}/maturity-models/${modelId}`,
        headers: { 'If-Match': modelEtag },
        body: { operations: [null] },
        status: 400,
        field: 'operations[0]',
      },
      {
        method: 'patch',
        path: `${org}/maturity-models/${modelId}`,
        headers: { 'If-Match': modelEtag },
        body: { operations: [{ op: 'remove_criterion', criterionKey }, null, 7, 'x'] },
        status: 400,
        field: 'operations[1]',
      },
      {
        method: 'patch',
        path: `${org}/maturity-models/${modelId}`,
        headers: { 'If-Match': modelEtag },
        body: { operations: [[]] },
        status: 400,
        field: 'operations',
      },
      {
        method: 'patch',
        path: `${org}/maturity-models/${modelId}`,
        headers: { 'If-Match': modelEtag },
        body: { operations: [{ op: 'update_criterion', criterionKey, sources: null }] },
        status: 400,
        field: 'operations[0].sources',
      },
      {
        method: 'patch',
        path: `${org}/maturity-models/${modelId}`,
        headers: { 'If-Match': modelEtag },
        body: { name: null },
        status: 400,
        field: 'name',
      },
      {
        method: 'put',
        path: `${org}/assessments/${assessmentId}/answers`,
        body: { answers: [{ criterionKey, status: 'met', note: null }] },
        status: 400,
        field: 'answers[0].note',
      },
      {
        method: 'post',
        path: `${org}/api-keys`,
        body: { name: 'ci', scopes: ['assessments:read'], expiresAt: null },
        status: 400,
        field: 'expiresAt',
      },
    ]);
  });

  it('7. router errors (over-long parameter 414, malformed URL 400) and unknown routes are problem+json', async () => {
    await expectRefused([
      { method: 'get', path: `/v1/organizations/${'a'.repeat(101)}`, status: 414 },
      { method: 'get', path: '/v1/organizations/%FF', status: 400 },
      { method: 'get', path: `${org}/teams/%E0%A4%A`, status: 400 },
      { method: 'get', path: '/v1/no-such-route', status: 404 },
      { method: 'delete', path: '/v1/me', status: 404 },
    ]);
  });
});
