import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { projectRoot } from '@app/common/project-root';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, createTeamWithDraft, SignedInUser, signUp } from './support/actors';
import { ObservedResponse, ResponseContract } from './support/contract';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The contract: the committed openapi.json documents every status, body and content type the
 * API answers (the e2e suite checks each response it receives, in `http()`); these tests prove
 * that the check bites, that the document's error and security descriptions match what the
 * routes do, and that action endpoints take an empty JSON body.
 */
const PROBLEM_JSON = /^application\/problem\+json/;
const PROBLEM_REF = '#/components/schemas/ProblemDetails';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function committedDocument(): OpenAPIObject {
  return JSON.parse(readFileSync(join(projectRoot(), 'openapi.json'), 'utf8'));
}

function operations(document: OpenAPIObject) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item?.[method]).map((method) => ({
      path,
      method,
      operation: item![method] as OperationObject,
    })),
  );
}

describe('the response check against openapi.json', () => {
  const contract = ResponseContract.committed();
  const teamMember = '/v1/organizations/:orgId/teams/:teamId/members/:userId';
  const member = {
    userId: '3f1c2a4e-8b9d-4c7e-9a1b-2c3d4e5f6a7b',
    role: 'lead',
    email: 'ada@example.com',
    name: 'Ada',
    createdAt: '2026-01-02T03:04:05.000Z',
  };
  const observed = (overrides: Partial<ObservedResponse>): ObservedResponse => ({
    method: 'PUT',
    url: '/v1/organizations/x/teams/y/members/z',
    route: teamMember,
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: member,
    text: JSON.stringify(member),
    ...overrides,
  });
  const problem = {
    type: 'urn:mlops:problem:not-found',
    title: 'Not found',
    status: 404,
    detail: 'Team was not found.',
    instance: '/v1/organizations/x/teams/y',
    requestId: 'r-1',
  };

  it('accepts a response that keeps to the document', () => {
    expect(contract.violations(observed({}))).toEqual([]);
    expect(
      contract.violations(
        observed({
          status: 404,
          contentType: 'application/problem+json; charset=utf-8',
          body: problem,
        }),
      ),
    ).toEqual([]);
  });

  it('refuses an undocumented status', () => {
    expect(contract.violations(observed({ status: 202 }))).toEqual([
      expect.stringMatching(/status 202 is not documented/),
    ]);
  });

  it('refuses a body without a required property, or with one the document does not name', () => {
    // The drift this check first found: PUT .../members/{userId} answered without email and name.
    const { email: _email, name: _name, ...withoutUser } = member;
    expect(contract.violations(observed({ body: withoutUser }))).toEqual([
      expect.stringMatching(/must have required property 'email'/),
      expect.stringMatching(/must have required property 'name'/),
    ]);
    expect(contract.violations(observed({ body: { ...member, passwordHash: 'x' } }))).toEqual([
      expect.stringMatching(/must NOT have additional properties/),
    ]);
  });

  it('refuses wrong types and formats', () => {
    expect(contract.violations(observed({ body: { ...member, userId: 'not-a-uuid' } }))).toEqual([
      expect.stringMatching(/userId must match format "uuid"/),
    ]);
    expect(contract.violations(observed({ body: { ...member, role: 'owner' } }))).toEqual([
      expect.stringMatching(/role must be equal to one of the allowed values/),
    ]);
  });

  it('refuses an undocumented content type, and an error that is not a problem', () => {
    expect(contract.violations(observed({ contentType: 'text/html' }))).toEqual([
      expect.stringMatching(/content type text\/html is not documented/),
    ]);
    expect(
      contract.violations(
        observed({
          status: 404,
          contentType: 'application/json',
          body: { message: 'nope' },
        }),
      ),
    ).toEqual([expect.stringMatching(/content type application\/json is not documented/)]);
    expect(
      contract.violations(
        observed({
          status: 404,
          contentType: 'application/problem+json',
          body: { ...problem, status: '404' },
        }),
      ),
    ).toEqual([expect.stringMatching(/status must be integer/)]);
  });

  it('refuses a body on a response documented without one', () => {
    expect(
      contract.violations(
        observed({
          method: 'DELETE',
          status: 204,
          contentType: 'application/json',
          text: '{}',
        }),
      ),
    ).toEqual([expect.stringMatching(/documented without a body/)]);
  });

  it('holds responses of no route to problem+json, and refuses a route the document lacks', () => {
    const unrouted = {
      route: undefined,
      url: '/nowhere',
      method: 'GET',
      status: 404,
    };
    expect(
      contract.violations(
        observed({
          ...unrouted,
          contentType: 'application/problem+json',
          body: problem,
        }),
      ),
    ).toEqual([]);
    expect(
      contract.violations(observed({ ...unrouted, contentType: 'text/plain', text: 'Not Found' })),
    ).toEqual([expect.stringMatching(/is not application\/problem\+json/)]);
    expect(
      contract.violations(
        observed({
          ...unrouted,
          contentType: 'application/problem+json',
          body: { ...problem, status: 400 },
        }),
      ),
    ).toEqual([expect.stringMatching(/body\.status is 400/)]);
    expect(contract.violations(observed({ route: '/v1/secret', method: 'GET' }))).toEqual([
      'no operation documents GET /v1/secret',
    ]);
  });

  it("accepts an assessment's result as null (a draft) or an object, and nothing else", () => {
    const schema = committedDocument().components!.schemas!.AssessmentDto as SchemaObject;
    expect(schema.required).toContain('result');
    const result = schema.properties!.result as SchemaObject;
    expect(result.anyOf).toEqual([
      { $ref: '#/components/schemas/AssessmentResultDto' },
      { type: 'object', nullable: true, enum: [null] },
    ]);
  });
});

describe('the contract over HTTP', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
  });
  afterAll(() => testApp.close());

  it('fails the request in http() when the answer drifts from the document', async () => {
    // A document that promises one more property on GET /v1/me than the app sends.
    const document = committedDocument();
    const me = document.components!.schemas!.MeDto as SchemaObject;
    me.required = [...(me.required ?? []), 'nickname'];
    me.properties = { ...me.properties, nickname: { type: 'string' } };
    const drifted = new ResponseContract(document);
    await expect(testApp.httpCheckedBy(drifted).get('/v1/me').set(owner.auth)).rejects.toThrow(
      /off the OpenAPI contract[\s\S]*GET \/v1\/me -> 200: body must have required property 'nickname'/,
    );
    // The committed document and the app agree.
    await testApp.http().get('/v1/me').set(owner.auth).expect(200);
  });

  it('documents every error of every operation with the ProblemDetails body, and 400 and 500', () => {
    const document = committedDocument();
    const problem = document.components!.schemas!.ProblemDetails as SchemaObject;
    expect(problem.required).toEqual(['type', 'title', 'status', 'instance', 'requestId']);
    expect(Object.keys(problem.properties!)).toEqual(
      expect.arrayContaining(['detail', 'errorId', 'errors']),
    );
    for (const { path, method, operation } of operations(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, Object.keys(operation.responses)]).toEqual([
        where,
        expect.arrayContaining(['400', '500']),
      ]);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect([where, status, (response as ResponseObject).content]).toEqual([
          where,
          status,
          { 'application/problem+json': { schema: { $ref: PROBLEM_REF } } },
        ]);
      }
      const statuses = Object.keys(operation.responses);
      if (operation.requestBody || method !== 'get') {
        expect([where, statuses]).toEqual([where, expect.arrayContaining(['400', '413', '415'])]);
      }
      if (path.startsWith('/v1/organizations/{orgId}')) {
        expect([where, statuses]).toEqual([where, expect.arrayContaining(['401', '403', '404'])]);
      }
      expect(operation.summary).toEqual(expect.any(String));
    }
  });

  it('says which operations need credentials, as the access guard decides', async () => {
    // Every operation, called without credentials (path ids made up): 401 exactly where the
    // document lists a security requirement and 401 and 403 among its answers.
    const document = committedDocument();
    const fill = (path: string) =>
      path.replace(/\{version\}|\{otherVersion\}/g, '1').replace(/\{[^}]+\}/g, organizationId);
    const publicOperations: string[] = [];
    for (const { path, method, operation } of operations(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      const response = await testApp.http()[method](fill(path));
      // Public: no requirement, or an empty one among the alternatives (anonymous allowed).
      const documentedPublic =
        Array.isArray(operation.security) &&
        (operation.security.length === 0 ||
          operation.security.some((requirement) => Object.keys(requirement).length === 0));
      if (documentedPublic) publicOperations.push(where);
      expect([where, response.status === 401]).toEqual([where, !documentedPublic]);
      if (!documentedPublic) {
        expect([where, operation.security]).toEqual([where, [{ bearer: [] }]]);
        expect([where, Object.keys(operation.responses)]).toEqual([
          where,
          expect.arrayContaining(['401', '403']),
        ]);
      }
    }
    expect(publicOperations.sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
      // A campaign participant's personal link: the token in the path is the credential.
      'GET /v1/campaign-responses/{responseToken}',
      'GET /v1/shared-reports/{token}',
      'POST /v1/auth/login',
      'POST /v1/auth/logout',
      'POST /v1/auth/refresh',
      'POST /v1/auth/signup',
      'POST /v1/campaign-responses/{responseToken}/submit',
      // Authenticated by the webhook's signature, not by credentials.
      'POST /v1/hooks/{integrationId}',
      'PUT /v1/campaign-responses/{responseToken}',
    ]);
  });

  it('documents 429 with Retry-After where a throttler guards the route', () => {
    for (const { path, operation } of operations(committedDocument())) {
      const throttled = path.startsWith('/v1/auth/');
      const tooMany = operation.responses['429'] as ResponseObject | undefined;
      expect([path, !!tooMany]).toEqual([path, throttled]);
      if (tooMany) expect(Object.keys(tooMany.headers ?? {})).toEqual(['Retry-After']);
    }
  });

  describe('action endpoints with Content-Type: application/json and an empty body', () => {
    const json = { 'content-type': 'application/json' };

    it('submits an assessment, publishes a model and starts its next draft', async () => {
      const { draft } = await createTeamWithDraft(testApp, owner, organizationId);
      expect(draft.result).toBeNull();

      // Malformed JSON still answers 400 problem+json, and changes nothing.
      const malformed = await testApp
        .http()
        .post(`${org}/assessments/${draft.id}/submit`)
        .set(owner.auth)
        .set(json)
        .send('{"oops": ')
        .expect(400);
      expect(malformed.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(malformed.body.type).toBe('urn:mlops:problem:bad-request');

      const submitted = await testApp
        .http()
        .post(`${org}/assessments/${draft.id}/submit`)
        .set(owner.auth)
        .set(json)
        .send('')
        .expect(200);
      expect(submitted.body.status).toBe('submitted');
      expect(submitted.body.result).toEqual(expect.objectContaining({ score: expect.any(Number) }));

      const model = await testApp
        .http()
        .post(`${org}/maturity-models`)
        .set(owner.auth)
        .send({
          name: 'Empty bodies model',
          fromVersionId: builtinVersionId('mlops-maturity', 1),
        })
        .expect(201);
      await testApp
        .http()
        .patch(`${org}/maturity-models/${model.body.id}`)
        .set(owner.auth)
        .send({ description: 'Changed, so there is something to publish.' })
        .expect(200);
      const published = await testApp
        .http()
        .post(`${org}/maturity-models/${model.body.id}/publish`)
        .set(owner.auth)
        .set(json)
        .send('')
        .expect(200);
      expect(published.body).toMatchObject({ version: 1, status: 'published' });
      const next = await testApp
        .http()
        .post(`${org}/maturity-models/${model.body.id}/draft`)
        .set(owner.auth)
        .set(json)
        .send('')
        .expect(201);
      expect(next.body).toMatchObject({ version: 2, status: 'draft' });
    });

    it('deletes with an empty JSON body; a body of the wrong type answers 415', async () => {
      const team = await testApp
        .http()
        .post(`${org}/teams`)
        .set(owner.auth)
        .send({ name: 'Short-lived', slug: 'short-lived' })
        .expect(201);
      // DELETE bodies are read too (hence 413/415 in the document).
      const refused = await testApp
        .http()
        .delete(`${org}/teams/${team.body.id}`)
        .set(owner.auth)
        .set('content-type', 'application/xml')
        .send('<team/>')
        .expect(415);
      expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
      await testApp
        .http()
        .delete(`${org}/teams/${team.body.id}`)
        .set(owner.auth)
        .set(json)
        .send('')
        .expect(204);
    });

    it('still refuses an empty body where the route needs one, with a validation problem', async () => {
      const response = await testApp
        .http()
        .post(`${org}/teams`)
        .set(owner.auth)
        .set(json)
        .send('')
        .expect(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.type).toBe('urn:mlops:problem:validation-error');
    });
  });
});
