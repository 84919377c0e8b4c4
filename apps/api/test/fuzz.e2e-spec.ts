import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { hashSecret, projectRoot } from '@app/common';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { sendGithub } from './support/ci-webhooks';
import { campaignBody } from './support/campaigns';
import { withClient } from './support/test-database';
import { issueResponseToken } from '../src/modules/campaigns/response-token';
import { Fingerprint, openFingerprinter } from './support/database-fingerprint';
import { addMember, invite } from './support/memberships';
import { RegisteredRoute, startTestApp, TestApp } from './support/test-app';

/**
 * Property-based fuzzing of every operation of the committed OpenAPI document (issue 7): malformed
 * path parameters, query strings, headers, bodies and content types, sent over HTTP to the real
 * app on the real PostgreSQL, as the owner of a real organization (real ids in the path, so the
 * requests get past authentication into validation and the database) and unauthenticated.
 *
 * It fails on any 5xx, on any 4xx that is not application/problem+json, and on any 4xx after which
 * the database is not exactly as before. Deterministic by default; FUZZ_SEED and FUZZ_RUNS
 * (runs per operation) change the seed and the effort, e.g. `FUZZ_RUNS=500 npx jest fuzz`.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
  minimum?: number;
  maxLength?: number;
};
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodySchema?: Schema;
  bodyTypes: string[];
}

const document = JSON.parse(readFileSync(join(projectRoot(), 'openapi.json'), 'utf8')) as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
};

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, operation]) => ({
      method,
      path,
      parameters: operation.parameters ?? [],
      bodyTypes: Object.keys(operation.requestBody?.content ?? {}),
      bodySchema: operation.requestBody?.content['application/json']?.schema,
    })),
);
// Deletions last (the innermost first, the organization itself at the very end), so a request
// that legitimately deletes a fixture does not take the real ids away from the other operations.
const ordered = [...operations].sort((a, b) => {
  const rank = (op: Operation) => (op.method === 'delete' ? 1 : 0);
  return rank(a) - rank(b) || (rank(a) === 1 ? b.path.length - a.path.length : 0);
});
const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

// ---------------------------------------------------------------------------------------------
// Values no well-behaved client sends.

const LONE_SURROGATES = ['\ud800', '\udfff', 'a\udc00b', '\ud83d'];
const badCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedValue = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = level % 2 ? { a: value } : [value];
  return value;
};

/** Strings for path segments and query values; `raw` ones are sent as they are (already escaped). */
const hostileText: fc.Arbitrary<{ raw: string } | string> = fc.oneof(
  fc.constantFrom<{ raw: string } | string>(
    '',
    ' ',
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6dx',
    '\u0000',
    'a\u0000b',
    '\u0001\u001f\u007f',
    '..',
    '-1',
    '0',
    '1.5',
    '1e309',
    'NaN',
    'Infinity',
    '99999999999999999999999',
    'true',
    'null',
    '[]',
    '{}',
    '2024-W01',
    '20240101',
    '0000-01-01',
    '2099-W01',
    '-200000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '2024-02-30T00:00:00Z',
    badCursor(['2024-01-01T00:00:00Z', 'x']),
    badCursor(['-200000-01-01T00:00:00Z', '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d']),
    badCursor(['0000-01-01T00:00:00Z', '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d']),
    badCursor([null, null]),
    badCursor({ a: 1 }),
    Buffer.from(JSON.stringify(['2024-01-01T00:00:00Z', 'x'])).toString('base64'),
    'Zm9v',
    'x'.repeat(101),
    'x'.repeat(5000),
    '\u202e\ufeff',
    'emoji🚀',
    "' OR 1=1 --",
    { raw: '%FF' },
    { raw: '%ED%A0%80' },
    { raw: '%C0%AF' },
    { raw: '%' },
    { raw: '%2e%2e%2f' },
    { raw: '%00' },
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
);

/** Values for JSON fields: wrong types, nulls, the huge, the deep and the unstorable. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    false,
    '',
    ' ',
    'x'.repeat(10_000),
    '\u0000',
    'a\u0000b',
    ...LONE_SURROGATES,
    '2024-W01',
    '20240101',
    '0000-01-01',
    '0000-01-01T00:00:00Z',
    '-200000-01-01T00:00:00Z',
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'javascript:alert(1)',
    'user@',
    [],
    [null],
    [[[]]],
    {},
    { $gt: '' },
    JSON.parse('{"__proto__":{"polluted":true}}'),
    Array.from({ length: 5000 }, () => 'x'),
    Array.from({ length: 300 }, () => ({})),
    nestedValue(60),
    nestedValue(1000),
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

const rawBodies = fc.constantFrom(
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '[1,]',
  "{'a':1}",
  'nul',
  'undefined',
  'NaN',
  '"\\ud800"',
  '{"a":"\\u0000"}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '\u0000',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '1e99999',
  deepArray(5000),
  deepObject(5000),
  deepArray(100_000),
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/problem+json',
  'application/octet-stream',
  '*/*',
  'application/json, text/plain',
  'gibberish',
);

// ---------------------------------------------------------------------------------------------
// A valid-looking body from the schema, then mutated at one or more places.

function resolve(schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 20; hops += 1) {
    current = document.components.schemas[current.$ref.split('/').pop()!] ?? {};
  }
  if (current.allOf) return Object.assign({}, ...current.allOf.map(resolve)) as Schema;
  return current;
}

function sample(schema: Schema | undefined, depth = 0): unknown {
  const resolved = resolve(schema);
  if (depth > 8) return null;
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.enum) return resolved.enum[0];
  if (resolved.oneOf) return sample(resolved.oneOf[0], depth + 1);
  switch (resolved.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(resolved.properties ?? {}).map(([name, property]) => [
          name,
          sample(property, depth + 1),
        ]),
      );
    case 'array':
      return [sample(resolved.items, depth + 1)];
    case 'integer':
    case 'number':
      return resolved.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      if (resolved.format === 'uuid') return builtinVersionId('mlops-maturity', 1);
      if (resolved.format === 'date-time') return '2999-01-01T00:00:00Z';
      if (resolved.format === 'uri') return 'https://ci.example.com/runs/1';
      return resolved.properties ? sample({ ...resolved, type: 'object' }, depth) : 'sample';
  }
}

type JsonPath = (string | number)[];
function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  // Plain loops: a mutation may have set `constructor` on an array, which breaks Array#map.
  const paths: JsonPath[] = [prefix];
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      paths.push(...pathsOf(value[index], [...prefix, index]));
    }
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value))
      paths.push(...pathsOf(child, [...prefix, key]));
  }
  return paths;
}

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'unknownField'; at: number; name: string; value: unknown };

function mutate(body: unknown, mutations: Mutation[]): unknown {
  let result = structuredClone(body);
  for (const shared of mutations) {
    // Generated values are shared constants: never let a later mutation write into one.
    const mutation =
      'value' in shared ? { ...shared, value: structuredClone(shared.value) } : shared;
    const paths = pathsOf(result);
    const path = paths[mutation.at % paths.length];
    if (path.length === 0) {
      if (mutation.kind === 'replace') result = mutation.value;
      else if (mutation.kind === 'unknownField' && result && typeof result === 'object') {
        (result as Record<string, unknown>)[mutation.name] = mutation.value;
      }
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as never)[key], result);
    const key = path[path.length - 1];
    if (!parent || typeof parent !== 'object') continue;
    const container = parent as Record<string | number, unknown>;
    if (mutation.kind === 'replace') container[key] = mutation.value;
    else if (mutation.kind === 'remove') {
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
    } else {
      const target = container[key];
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        (target as Record<string, unknown>)[mutation.name] = mutation.value;
      } else if (!Array.isArray(container)) {
        container[mutation.name] = mutation.value;
      }
    }
  }
  return result;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      at: fc.nat(),
      value: hostileJson,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unknownField' as const),
      at: fc.nat(),
      name: fc.constantFrom(
        'isAdmin',
        'organizationId',
        '__proto__',
        'constructor',
        'id',
        '\u0000',
        '\ud800',
      ),
      value: hostileJson,
    }),
  },
);

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType?: string }
  | { kind: 'raw'; text: string; contentType: string | undefined };

function bodies(op: Operation): fc.Arbitrary<Body> {
  const base = sample(op.bodySchema ?? { type: 'object', properties: {} });
  return fc.oneof(
    { weight: op.bodySchema ? 1 : 3, arbitrary: fc.constant<Body>({ kind: 'none' }) },
    {
      weight: op.bodySchema ? 8 : 2,
      arbitrary: fc
        .array(mutation, { minLength: 1, maxLength: 3 })
        .map<Body>((mutations) => ({ kind: 'json', value: mutate(base, mutations) })),
    },
    { weight: 2, arbitrary: hostileJson.map<Body>((value) => ({ kind: 'json', value })) },
    {
      weight: 2,
      arbitrary: fc
        .record({ text: rawBodies, contentType: fc.option(contentTypes, { nil: undefined }) })
        .map<Body>(({ text, contentType }) => ({ kind: 'raw', text, contentType })),
    },
    {
      weight: 1,
      arbitrary: contentTypes.map<Body>((contentType) => ({
        kind: 'raw',
        text: JSON.stringify(base),
        contentType,
      })),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Real fixtures for the path, so requests reach validation and the database.

interface Fixtures {
  owner: SignedInUser;
  orgId: string;
  teamId: string;
  assessmentId: string;
  assessmentEtag: string;
  builtinModelId: string;
  modelId: string;
  modelEtag: string;
  memberId: string;
  keyId: string;
  invitationId: string;
  invitationToken: string;
  integrationId: string;
  /** A delivery the integration received (deliveryId under /integrations). */
  integrationDeliveryId: string;
  campaignId: string;
  responseToken: string;
  endpointId: string;
  deliveryId: string;
  roadmapId: string;
  itemId: string;
  reportLinkId: string;
  reportToken: string;
}

/** The real value of every path parameter the document uses; a new name fails the coverage test. */
function realPathValue(fixtures: Fixtures, op: Operation, name: string): string | undefined {
  switch (name) {
    case 'orgId':
      return fixtures.orgId;
    case 'teamId':
      return fixtures.teamId;
    case 'assessmentId':
      return fixtures.assessmentId;
    case 'modelId':
      return op.path.startsWith('/v1/maturity-models') ? fixtures.builtinModelId : fixtures.modelId;
    case 'version':
    case 'otherVersion':
      return '1';
    case 'userId':
      return fixtures.memberId;
    case 'keyId':
      return fixtures.keyId;
    case 'invitationId':
      return fixtures.invitationId;
    case 'roadmapId':
      return fixtures.roadmapId;
    case 'itemId':
      return fixtures.itemId;
    case 'token':
      return op.path.startsWith('/v1/shared-reports')
        ? fixtures.reportToken
        : fixtures.invitationToken;
    case 'linkId':
      return fixtures.reportLinkId;
    case 'integrationId':
      return fixtures.integrationId;
    case 'campaignId':
      return fixtures.campaignId;
    case 'responseToken':
      return fixtures.responseToken;
    case 'endpointId':
      return fixtures.endpointId;
    case 'deliveryId':
      return op.path.includes('/integrations/')
        ? fixtures.integrationDeliveryId
        : fixtures.deliveryId;
    default:
      return undefined;
  }
}

const KNOWN_HEADERS = ['If-Match', 'Idempotency-Key'];
const SUPPORTED_BODY_TYPES = ['application/json'];

function uncovered(op: Operation, fixtures: Fixtures): string[] {
  const missing: string[] = [];
  for (const parameter of op.parameters) {
    if (parameter.in === 'path' && realPathValue(fixtures, op, parameter.name) === undefined) {
      missing.push(`path parameter {${parameter.name}} has no real value`);
    }
    if (parameter.in === 'header' && !KNOWN_HEADERS.includes(parameter.name)) {
      missing.push(`header ${parameter.name} has no generator`);
    }
    if (!['path', 'query', 'header'].includes(parameter.in)) {
      missing.push(`parameter in ${parameter.in} has no generator`);
    }
  }
  for (const type of op.bodyTypes) {
    if (!SUPPORTED_BODY_TYPES.includes(type)) missing.push(`request body ${type} has no generator`);
  }
  return missing;
}

interface FuzzRequest {
  auth: 'owner' | 'none' | 'garbage';
  path: Record<string, { raw: string } | string | null>;
  query: [string, { raw: string } | string][];
  headers: Record<string, string | undefined>;
  body: Body;
}

function requests(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const headerParams = op.parameters.filter((p) => p.in === 'header').map((p) => p.name);
  const queryValue = fc.oneof(
    hostileText,
    fc.constantFrom<string>('1', '50', '2024-01-01T00:00:00Z', 'draft', 'overall', 'assessment'),
  );
  return fc.record({
    auth: fc.oneof(
      { weight: 8, arbitrary: fc.constant('owner' as const) },
      { weight: 1, arbitrary: fc.constant('none' as const) },
      { weight: 1, arbitrary: fc.constant('garbage' as const) },
    ),
    // null: the real id. Mostly real, so the request reaches validation and the database.
    path: fc.record(
      Object.fromEntries(
        pathParams.map((name) => [
          name,
          fc.oneof(
            { weight: 3, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: hostileText },
          ),
        ]),
      ),
    ),
    query: fc.array(
      fc.tuple(
        fc.oneof(
          {
            weight: 6,
            arbitrary: queryParams.length ? fc.constantFrom(...queryParams) : fc.constant('limit'),
          },
          { weight: 1, arbitrary: fc.constantFrom('unknown', '__proto__', 'cursor[]', 'a.b', '') },
        ),
        queryValue,
      ),
      { maxLength: 4 },
    ),
    headers: fc.record(
      Object.fromEntries(
        headerParams.map((name) => [
          name,
          fc.constantFrom(
            '*',
            'W/"x"',
            '"x"',
            '',
            'x'.repeat(1000),
            '"\u00ff"',
            '0b7d0c56-1c6f-4f7e-9d0a-7a2f1c4e5b6d',
          ),
        ]),
      ),
      { requiredKeys: [] },
    ),
    body: bodies(op),
  });
}

const encode = (value: { raw: string } | string): string => {
  if (typeof value !== 'string') return value.raw;
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80'; // a lone surrogate cannot be percent-encoded as UTF-8
  }
};

function urlOf(op: Operation, request: FuzzRequest, fixtures: Fixtures): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = request.path[name];
    return value === null || value === undefined
      ? encodeURIComponent(realPathValue(fixtures, op, name)!)
      : encode(value);
  });
  const query = request.query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
  return query ? `${path}?${query}` : path;
}

function describeRequest(op: Operation, request: FuzzRequest, url: string): string {
  const body =
    request.body.kind === 'none'
      ? ''
      : request.body.kind === 'json'
        ? JSON.stringify(request.body.value)
        : `${request.body.contentType ?? '(no content-type)'} ${JSON.stringify(request.body.text)}`;
  return `${op.method.toUpperCase()} ${url} auth=${request.auth} headers=${JSON.stringify(request.headers)} body=${(body ?? '').slice(0, 300)}`;
}

describe('fuzzing every operation of openapi.json with malformed input', () => {
  let testApp: TestApp;
  let fixtures: Fixtures;
  let fingerprinter: Awaited<ReturnType<typeof openFingerprinter>>;
  let baseline: Fingerprint;
  const routes: RegisteredRoute[] = [];
  const tally = { requests: 0, statuses: {} as Record<number, number>, started: 0 };

  beforeAll(async () => {
    testApp = await startTestApp({}, { onRoute: (route) => routes.push(route) });
    const owner = await signUp(testApp, 'Fuzz Owner');
    const member = await signUp(testApp, 'Fuzz Member');
    const orgId = await createOrganization(testApp, owner);
    const org = `/v1/organizations/${orgId}`;
    const http = () => testApp.http();
    await addMember(testApp, owner, orgId, member, 'member');
    const teamId = (
      await http()
        .post(`${org}/teams`)
        .set(owner.auth)
        .send({ name: 'Fuzz', slug: 'fuzz' })
        .expect(201)
    ).body.id as string;
    await http()
      .put(`${org}/teams/${teamId}/members/${member.id}`)
      .set(owner.auth)
      .send({ role: 'member' })
      .expect(200);
    const assessment = await http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
      .expect(201);
    const builtinModels = await http().get('/v1/maturity-models').set(owner.auth).expect(200);
    const cloned = await http()
      .post(`${org}/maturity-models`)
      .set(owner.auth)
      .send({ name: 'Fuzzed model', fromVersionId: builtinVersionId('mlops-maturity', 1) })
      .expect(201);
    const key = await http()
      .post(`${org}/api-keys`)
      .set(owner.auth)
      .send({ name: 'fuzz', scopes: ['assessments:read'] })
      .expect(201);
    const invitation = await invite(testApp, owner, orgId, 'invitee@example.com', 'viewer');
    const integration = await http()
      .post(`${org}/integrations`)
      .set(owner.auth)
      .send({ kind: 'github', name: 'fuzz', teamId })
      .expect(201);
    const delivery = await sendGithub(
      testApp,
      integration.body.id,
      'workflow_job',
      { action: 'completed', workflow_job: { name: 'mlops:lint' } },
      integration.body.secret,
    ).expect(202);
    // A webhook endpoint that the campaign's opening below gives a delivery.
    const endpoint = await http()
      .post(`${org}/webhook-endpoints`)
      .set(owner.auth)
      .send({ url: 'https://hooks.example.com/x', events: ['campaign.opened'], description: 'f' })
      .expect(201);
    // An open campaign the owner answers in, so its routes reach validation and the database.
    const campaign = await http()
      .post(`${org}/campaigns`)
      .set(owner.auth)
      .send({
        ...campaignBody([teamId]),
        participants: [
          { teamId, userId: owner.id },
          { teamId, email: 'outside@example.com' },
        ],
      })
      .expect(201);
    await http().post(`${org}/campaigns/${campaign.body.id}/launch`).set(owner.auth).expect(200);
    // The personal link the invitation email would carry (no SMTP here): set as the job would.
    const responseToken = issueResponseToken(orgId);
    await withClient(testApp.database.adminUrl, (client) =>
      client.query(
        `UPDATE campaign_participants SET token_hash = $1, token_expires_at = now() + interval '1 day'
          WHERE campaign_id = $2 AND email IS NOT NULL`,
        [hashSecret(responseToken), campaign.body.id],
      ),
    );
    const scored = await http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
      .expect(201);
    await http().post(`${org}/assessments/${scored.body.id}/submit`).set(owner.auth).expect(200);
    const roadmap = await http()
      .post(`${org}/teams/${teamId}/roadmaps`)
      .set(owner.auth)
      .send({ targetLevels: { testing: 3, monitoring: 3 } })
      .expect(201);
    const reportLink = await http()
      .post(`${org}/report-links`)
      .set(owner.auth)
      .send({
        report: 'trends',
        parameters: { teamIds: [teamId] },
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      })
      .expect(201);
    fixtures = {
      owner,
      orgId,
      teamId,
      assessmentId: assessment.body.id,
      assessmentEtag: assessment.headers.etag,
      builtinModelId: builtinModels.body.items[0].id,
      modelId: cloned.body.id,
      modelEtag: cloned.headers.etag,
      memberId: member.id,
      keyId: key.body.id,
      invitationId: invitation.id,
      invitationToken: invitation.token,
      integrationId: integration.body.id,
      integrationDeliveryId: delivery.body.deliveryId,
      campaignId: campaign.body.id,
      responseToken,
      endpointId: endpoint.body.id,
      deliveryId: (
        await http()
          .get(`${org}/webhook-endpoints/${endpoint.body.id}/deliveries`)
          .set(owner.auth)
          .expect(200)
      ).body.items[0].id,
      roadmapId: roadmap.body.id,
      itemId: roadmap.body.items[0].id,
      reportLinkId: reportLink.body.id,
      reportToken: reportLink.body.token,
    };
    fingerprinter = await openFingerprinter(testApp);
    baseline = await fingerprinter.fingerprint();
    tally.started = Date.now();
  });

  afterAll(async () => {
    const seconds = ((Date.now() - tally.started) / 1000).toFixed(1);
    console.log(
      `fuzz: ${operations.length} operations, ${tally.requests} requests in ${seconds} s ` +
        `(seed ${SEED}, ${RUNS} runs per operation); statuses ${JSON.stringify(tally.statuses)}`,
    );
    await fingerprinter?.close();
    await testApp?.close();
  });

  it('covers every operation of the document, and the document every route of the app', () => {
    const problems = operations.flatMap((op) =>
      uncovered(op, fixtures).map((missing) => `${label(op)}: ${missing}`),
    );
    expect(problems).toEqual([]);
    const documented = new Set(operations.map((op) => `${op.method.toUpperCase()} ${op.path}`));
    const served = routes
      .filter((route) => !['HEAD', 'OPTIONS'].includes(route.method))
      .filter((route) => !/^\/(docs|openapi|graphql)/.test(route.url) && route.url !== '*')
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
    expect(operations.length).toBeGreaterThan(40);
  });

  it.each(ordered.map((op) => [label(op), op] as const))('%s', async (_label, op) => {
    await fc.assert(
      fc.asyncProperty(requests(op), async (request) => {
        const url = urlOf(op, request, fixtures);
        let call = testApp.http()[op.method as 'get'](url);
        if (request.auth === 'owner') call = call.set(fixtures.owner.auth);
        if (request.auth === 'garbage') call = call.set('Authorization', 'Bearer x.y.z');
        for (const [name, value] of Object.entries(request.headers)) {
          if (value !== undefined) call = call.set(name, value);
        }
        if (request.body.kind === 'json') {
          call = call
            .set('content-type', 'application/json')
            .send(JSON.stringify(request.body.value) ?? 'null');
        } else if (request.body.kind === 'raw') {
          if (request.body.contentType) call = call.set('content-type', request.body.contentType);
          call = call.send(request.body.text);
        }
        let response: Response;
        try {
          response = await call;
        } catch (error) {
          throw new Error(
            `${describeRequest(op, request, url)}\n-> no response: ${String(error)}`,
            {
              cause: error,
            },
          );
        }
        tally.requests += 1;
        tally.statuses[response.status] = (tally.statuses[response.status] ?? 0) + 1;
        const after = await fingerprinter.fingerprint();
        const context = `${describeRequest(op, request, url)}\n-> ${response.status} ${
          response.headers['content-type']
        } ${JSON.stringify(response.body).slice(0, 500)}`;
        if (response.status >= 500) throw new Error(`5xx: ${context}`);
        if (response.status >= 400) {
          if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
            throw new Error(`4xx without problem+json: ${context}`);
          }
          const changed = Object.keys(after).filter((table) => after[table] !== baseline[table]);
          if (changed.length > 0) {
            throw new Error(`4xx changed the database (${changed.join(', ')}): ${context}`);
          }
        }
        baseline = after;
      }),
      {
        seed: SEED + operations.indexOf(op),
        numRuns: RUNS,
        endOnFailure: true,
        // The counterexample can be megabytes of nested brackets: report our own short text.
        reporter: (run) => {
          if (!run.failed) return;
          const cause =
            run.errorInstance instanceof Error
              ? run.errorInstance.message
              : String(run.errorInstance);
          throw new Error(
            `${label(op)} failed after ${run.numRuns} runs; replay with FUZZ_SEED=${SEED} ` +
              `(this operation: seed ${run.seed}, path "${run.counterexamplePath}")\n${cause.slice(0, 3000)}`,
          );
        },
      },
    );
  });
});
