import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { JobQueue } from '@app/jobs';
import { defaultMaturityModel } from '@app/maturity-model';
import { WEBHOOK_DELIVER_JOB } from '../src/modules/webhook-endpoints/notifications.service';
import { createOrganization, createTeamWithDraft, SignedInUser, signUp } from './support/actors';
import { joinedMember } from './support/memberships';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that answers from a script (default 204). */
class Receiver {
  hits: Hit[] = [];
  script: { status: number; headers?: Record<string, string> }[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.hits.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const next = this.script.shift() ?? { status: 204 };
        response.writeHead(next.status, next.headers).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe('outbound webhooks', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;
  const receiver = new Receiver();
  let url: string;

  const admin = <T>(sql: string, params: unknown[] = []) =>
    withClient(
      testApp.database.adminUrl,
      async (client) => (await client.query(sql, params)).rows as T[],
    );

  /** Runs the queued delivery attempts for this organization, as a worker would. */
  async function deliver(app: TestApp = testApp): Promise<{ startAfter: Date }[]> {
    const jobs = await admin<{ id: string; data: object; start_after: Date }>(
      `SELECT id, data, start_after FROM pgboss.job
        WHERE name = $1 AND state = 'created' AND data->>'organizationId' = $2 ORDER BY created_on`,
      [WEBHOOK_DELIVER_JOB, organizationId],
    );
    for (const job of jobs) {
      await admin(`UPDATE pgboss.job SET state = 'completed' WHERE id = $1`, [job.id]);
      await app.app.get(JobQueue).runNow(WEBHOOK_DELIVER_JOB, job.data);
    }
    return jobs.map((job) => ({ startAfter: job.start_after }));
  }

  async function endpoint(events: string[], target = url) {
    const created = await testApp
      .http()
      .post(`${org}/webhook-endpoints`)
      .set(owner.auth)
      .send({ url: target, events, description: 'test receiver' })
      .expect(201);
    return created.body as { id: string; secret: string };
  }

  async function submitAssessment(): Promise<string> {
    const { draft } = await createTeamWithDraft(testApp, owner, organizationId);
    await testApp.http().post(`${org}/assessments/${draft.id}/submit`).set(owner.auth).expect(200);
    return draft.id;
  }

  beforeAll(async () => {
    url = await receiver.start();
    testApp = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
  });
  afterAll(async () => {
    await testApp.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    receiver.hits = [];
    receiver.script = [];
    await admin('DELETE FROM webhook_endpoints WHERE organization_id = $1', [organizationId]);
  });

  it('shows the whsec_ secret once, stores it encrypted, and manages the endpoint', async () => {
    const created = await endpoint(['assessment.submitted']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const stored = await admin<{ secret_sealed: string }>(
      'SELECT secret_sealed FROM webhook_endpoints WHERE id = $1',
      [created.id],
    );
    expect(stored[0].secret_sealed).toMatch(/^v1\./);
    expect(stored[0].secret_sealed).not.toContain(created.secret.slice(6, 20));
    const read = await testApp
      .http()
      .get(`${org}/webhook-endpoints/${created.id}`)
      .set(owner.auth)
      .expect(200);
    expect(read.body).not.toHaveProperty('secret');
    const list = await testApp.http().get(`${org}/webhook-endpoints`).set(owner.auth).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([created.id]);
    const patched = await testApp
      .http()
      .patch(`${org}/webhook-endpoints/${created.id}`)
      .set(owner.auth)
      .send({ events: ['campaign.closed', 'team.level_changed'] })
      .expect(200);
    expect(patched.body.events).toEqual(['campaign.closed', 'team.level_changed']);
    const rotated = await testApp
      .http()
      .post(`${org}/webhook-endpoints/${created.id}/rotate-secret`)
      .set(owner.auth)
      .expect(200);
    expect(rotated.body.secret).not.toBe(created.secret);
    for (const body of [
      { url: 'ftp://example.com', events: ['campaign.closed'], description: 'x' },
      { url: url, events: ['no.such_event'], description: 'x' },
      { url: url, events: [], description: 'x' },
    ]) {
      await testApp.http().post(`${org}/webhook-endpoints`).set(owner.auth).send(body).expect(400);
    }
    const member = await joinedMember(testApp, owner, organizationId, 'assessor');
    await testApp.http().get(`${org}/webhook-endpoints`).set(member.auth).expect(403);
    await testApp
      .http()
      .delete(`${org}/webhook-endpoints/${created.id}`)
      .set(owner.auth)
      .expect(204);
    await testApp.http().get(`${org}/webhook-endpoints/${created.id}`).set(owner.auth).expect(404);
  });

  it('delivers a Standard Webhooks signed message a receiver verifies with standardwebhooks', async () => {
    const { secret } = await endpoint(['assessment.submitted']);
    const assessmentId = await submitAssessment();
    await deliver();
    expect(receiver.hits).toHaveLength(1);
    const [hit] = receiver.hits;
    const verified = new Webhook(secret).verify(hit.body, {
      'webhook-id': hit.headers['webhook-id'] as string,
      'webhook-timestamp': hit.headers['webhook-timestamp'] as string,
      'webhook-signature': hit.headers['webhook-signature'] as string,
    }) as { type: string; data: { assessmentId: string; source: string } };
    expect(verified.type).toBe('assessment.submitted');
    expect(verified.data).toMatchObject({ assessmentId, source: 'assessor' });
    // Another secret does not verify it.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(hit.body, {
        'webhook-id': hit.headers['webhook-id'] as string,
        'webhook-timestamp': hit.headers['webhook-timestamp'] as string,
        'webhook-signature': hit.headers['webhook-signature'] as string,
      }),
    ).toThrow();
  });

  it('retries a 500 on the schedule (5 s first), honours Retry-After, logs and redelivers', async () => {
    const { id } = await endpoint(['assessment.submitted']);
    receiver.script = [{ status: 500 }, { status: 503, headers: { 'Retry-After': '120' } }];
    await submitAssessment();
    const before = Date.now();
    await deliver();
    let log = await testApp
      .http()
      .get(`${org}/webhook-endpoints/${id}/deliveries`)
      .set(owner.auth)
      .expect(200);
    expect(log.body.items[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      responseStatus: 500,
    });
    const [second] = await deliver();
    expect(second.startAfter.getTime()).toBeGreaterThanOrEqual(before + 4_000);
    expect(second.startAfter.getTime()).toBeLessThan(before + 60_000);
    log = await testApp
      .http()
      .get(`${org}/webhook-endpoints/${id}/deliveries`)
      .set(owner.auth)
      .expect(200);
    expect(log.body.items[0]).toMatchObject({
      status: 'pending',
      attempts: 2,
      responseStatus: 503,
    });
    const [third] = await deliver();
    expect(third.startAfter.getTime()).toBeGreaterThanOrEqual(before + 119_000);
    expect(receiver.hits).toHaveLength(3);
    expect(new Set(receiver.hits.map((hit) => hit.headers['webhook-id'])).size).toBe(1);
    log = await testApp
      .http()
      .get(`${org}/webhook-endpoints/${id}/deliveries?status=succeeded`)
      .set(owner.auth)
      .expect(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({ attempts: 3, responseStatus: 204, lastError: null }),
    ]);
    const again = await testApp
      .http()
      .post(`${org}/webhook-endpoints/${id}/deliveries/${log.body.items[0].id}/redeliver`)
      .set(owner.auth)
      .expect(201);
    expect(again.body).toMatchObject({
      status: 'pending',
      attempts: 0,
      eventId: log.body.items[0].eventId,
    });
    await deliver();
    expect(receiver.hits).toHaveLength(4);
    expect(receiver.hits[3].headers['webhook-id']).toBe(receiver.hits[0].headers['webhook-id']);
  });

  it('disables the endpoint on 410 Gone and sends it nothing more', async () => {
    const { id } = await endpoint(['assessment.submitted']);
    receiver.script = [{ status: 410 }];
    await submitAssessment();
    await deliver();
    const read = await testApp
      .http()
      .get(`${org}/webhook-endpoints/${id}`)
      .set(owner.auth)
      .expect(200);
    expect(read.body).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining('410'),
    });
    await submitAssessment();
    await deliver();
    expect(receiver.hits).toHaveLength(1);
  });

  it('refuses loopback and private addresses after DNS resolution unless WEBHOOK_ALLOW_PRIVATE', async () => {
    const strict = await startTestApp({}, { database: testApp.database });
    try {
      const { id } = await endpoint(
        ['assessment.submitted'],
        url.replace('127.0.0.1', 'localhost'),
      );
      await submitAssessment();
      await deliver(strict);
      expect(receiver.hits).toEqual([]);
      const log = await testApp
        .http()
        .get(`${org}/webhook-endpoints/${id}/deliveries`)
        .set(owner.auth)
        .expect(200);
      expect(log.body.items[0]).toMatchObject({ status: 'failed', attempts: 1 });
      expect(log.body.items[0].lastError).toMatch(/refused: .* is loopback/);
    } finally {
      await strict.close();
    }
  });

  it('publishes team.level_changed only when the overall level moves', async () => {
    await endpoint(['team.level_changed', 'assessment.submitted']);
    const { teamId, draft } = await createTeamWithDraft(testApp, owner, organizationId);
    await testApp.http().post(`${org}/assessments/${draft.id}/submit`).set(owner.auth).expect(200);
    // Level 0 first; then everything of the first level met in every dimension raises it.
    const version = await testApp
      .http()
      .get(`${org}/assessments/${draft.id}`)
      .set(owner.auth)
      .expect(200);
    const keys = defaultMaturityModel.dimensions.flatMap((d) =>
      d.levels.filter((l) => l.level === 1).flatMap((l) => l.criteria.map((c) => c.key)),
    );
    const next = await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: version.body.modelVersionId })
      .expect(201);
    await testApp
      .http()
      .put(`${org}/assessments/${next.body.id}/answers`)
      .set(owner.auth)
      .send({ answers: keys.map((criterionKey) => ({ criterionKey, status: 'met' })) })
      .expect(200);
    await testApp
      .http()
      .post(`${org}/assessments/${next.body.id}/submit`)
      .set(owner.auth)
      .expect(200);
    await deliver();
    const types = receiver.hits.map((hit) => (JSON.parse(hit.body) as { type: string }).type);
    expect(types.filter((type) => type === 'assessment.submitted')).toHaveLength(2);
    const changes = receiver.hits
      .map((hit) => JSON.parse(hit.body) as { type: string; data: Record<string, unknown> })
      .filter((event) => event.type === 'team.level_changed');
    expect(changes).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ teamId, previousLevel: 0, level: 1, cause: 'assessment' }),
      }),
    ]);
  });
});
