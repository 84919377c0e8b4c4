import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { HealthRepository } from '../src/modules/health/health.repository';
import { createOrganization, signUp } from './support/actors';
import { invite } from './support/memberships';
import { sendGitlab } from './support/ci-webhooks';
import { startTestApp, TestApp } from './support/test-app';

// One app per file here: nestjs-pino keeps one root logger per process (the first app's), so the
// Nest logs of a later app in the same file would not reach that app's capture.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Log lines written by the app, parsed. */
function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        raw.push(text);
        lines.push(JSON.parse(text) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { lines, raw, destination: stream as unknown as DestinationStream };
}

const capture = logCapture();
let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp({ LOG_LEVEL: 'info' }, { logDestination: capture.destination });
});
afterAll(() => testApp.close());

describe('request log', () => {
  const requestLines = () => capture.lines.filter((line) => line.msg === 'request completed');
  const linesFor = async (requestId: string) => {
    for (let wait = 0; wait < 50; wait++) {
      const found = requestLines().filter((line) => line.reqId === requestId);
      if (found.length > 0) {
        await sleep(20); // a second line, were there one, would be written by now
        return requestLines().filter((line) => line.reqId === requestId);
      }
      await sleep(10);
    }
    return [];
  };

  it('writes exactly one JSON line per request, with route template, tenant, actor; no secrets', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const invitee = await signUp(testApp);
    const invitation = await invite(testApp, owner, organizationId, invitee.email, 'member');
    const apiKey = await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/api-keys`)
      .set(owner.auth)
      .send({ name: 'log test', scopes: ['assessments:read'] })
      .expect(201)
      .then((response) => response.body.key as string);
    const secrets = [
      owner.password,
      owner.accessToken,
      owner.refreshToken,
      invitation.token,
      apiKey,
      'query-secret-value',
    ];

    const calls = [
      {
        response: await testApp
          .http()
          .post('/v1/auth/login')
          .send({ email: owner.email, password: owner.password }),
        route: '/v1/auth/login',
        organizationId: null,
        actor: null,
      },
      {
        response: await testApp.http().get('/v1/me').set(owner.auth),
        route: '/v1/me',
        organizationId: null,
        actor: { type: 'user', id: owner.id },
      },
      {
        response: await testApp
          .http()
          .get(`/v1/organizations/${organizationId}/teams?limit=5`)
          .set(owner.auth),
        route: '/v1/organizations/:orgId/teams',
        organizationId,
        actor: { type: 'user', id: owner.id },
      },
      {
        response: await testApp
          .http()
          .get(`/v1/organizations/${organizationId}/teams`)
          .set('Authorization', `Bearer ${apiKey}`),
        route: '/v1/organizations/:orgId/teams',
        organizationId,
        actor: { type: 'api_key', id: expect.any(String) },
      },
      {
        response: await testApp
          .http()
          .post('/v1/invitations/accept')
          .set(invitee.auth)
          .send({ token: invitation.token }),
        route: '/v1/invitations/accept',
        organizationId: null,
        actor: { type: 'user', id: invitee.id },
      },
      {
        response: await testApp.http().post(`/v1/invitations/${invitation.token}/accept`),
        route: null,
        organizationId: null,
        actor: null,
      },
      {
        response: await testApp.http().get('/v1/nothing?token=query-secret-value'),
        route: null,
        organizationId: null,
        actor: null,
      },
      {
        response: await testApp.http().get('/health/live'),
        route: '/health/live',
        organizationId: null,
        actor: null,
      },
      // Once the only paths that logged (nestjs-pino's default route matched just these).
      {
        response: await testApp.http().get('//health/live'),
        route: null,
        organizationId: null,
        actor: null,
      },
    ];
    for (const call of calls) {
      const requestId = call.response.headers['x-request-id'] as string;
      const lines = await linesFor(requestId);
      expect(lines).toHaveLength(1);
      const [line] = lines;
      expect(line).toEqual(
        expect.objectContaining({
          level: expect.any(Number),
          reqId: requestId,
          req: expect.objectContaining({
            method: (call.response as unknown as { req: { method: string } }).req.method,
            route: call.route,
          }),
          res: { statusCode: call.response.status },
          responseTime: expect.any(Number),
          organizationId: call.organizationId,
          actor: call.actor,
        }),
      );
    }
    const unmatched = await linesFor(calls[5].response.headers['x-request-id'] as string);
    expect(unmatched[0].req).toEqual({
      method: 'POST',
      route: null,
      path: '/v1/invitations/[redacted]/accept',
    });
    const everything = capture.raw.join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('readiness', () => {
  it('says up or down per check, never why; the reason goes to the log', async () => {
    const healthy = await testApp.http().get('/health/ready').expect(200);
    expect(healthy.body).toEqual({
      status: 'ok',
      checks: [
        { name: 'database', status: 'up' },
        { name: 'migrations', status: 'up' },
        { name: 'jobQueue', status: 'up' },
      ],
    });
    const reason = 'connect ECONNREFUSED postgres://owner:hunter2@db.internal:5432';
    jest
      .spyOn(testApp.app.get(HealthRepository), 'appliedMigrationNames')
      .mockRejectedValue(new Error(reason));
    const failing = await testApp.http().get('/health/ready').expect(503);
    expect(failing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(failing.body.checks).toEqual([
      { name: 'database', status: 'down' },
      { name: 'jobQueue', status: 'up' },
    ]);
    expect(failing.text).not.toContain('hunter2');
    expect(failing.text).not.toContain('ECONNREFUSED');
    await sleep(50);
    // Logged, with the request's id: logs made while a request runs carry its reqId.
    const reasonLines = capture.lines.filter((line) => String(line.msg).includes('ECONNREFUSED'));
    expect(reasonLines).toHaveLength(1);
    expect(reasonLines[0].reqId).toBe(failing.headers['x-request-id']);
  });
});

describe('webhook secrets', () => {
  it('never reach the log or the audit trail; a refused webhook is one log line with the reason', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const org = `/v1/organizations/${organizationId}`;
    const created = await testApp
      .http()
      .post(`${org}/integrations`)
      .set(owner.auth)
      .send({ kind: 'gitlab', name: 'GitLab' })
      .expect(201);
    const secret: string = created.body.secret;
    const rotated = await testApp
      .http()
      .post(`${org}/integrations/${created.body.id}/rotate-secret`)
      .set(owner.auth)
      .expect(200);
    const guess = 'a-guessed-token-that-must-not-be-logged';
    const refused = await sendGitlab(testApp, created.body.id, 'Job Hook', {}, guess).expect(401);
    await sendGitlab(testApp, created.body.id, 'Job Hook', { object_kind: 'build' }, secret).expect(
      202,
    );
    await sleep(50);
    for (const value of [secret, rotated.body.secret, guess]) {
      expect(capture.raw.join('\n')).not.toContain(value);
    }
    const reason = capture.lines.filter(
      (line) => line.reqId === refused.headers['x-request-id'] && line.context === 'Webhooks',
    );
    expect(reason).toHaveLength(1);
    expect(reason[0].msg).toContain('X-Gitlab-Token');
    const audit = await testApp.http().get(`${org}/audit-events`).set(owner.auth).expect(200);
    expect(JSON.stringify(audit.body)).not.toContain(secret);
    expect(JSON.stringify(audit.body)).not.toContain(rotated.body.secret);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(
      expect.arrayContaining(['integration.created', 'integration.secret_rotated']),
    );
  });
});
