import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import githubExamples from '@octokit/webhooks-examples';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { defaultMaturityModel } from '@app/maturity-model';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { joinedMember } from './support/memberships';
import { JobQueue } from '@app/jobs';
import { ProcessDeliveryJob } from '../src/modules/integrations/integrations.jobs';
import {
  githubSignature,
  processQueuedDeliveries,
  sendGithub,
  sendGitlab,
  sendStandardWebhook,
} from './support/ci-webhooks';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A real GitHub `workflow_job` payload (completed, success), renamed and moved as a test needs. */
function workflowJob(
  name: string,
  conclusion: string,
  overrides: { branch?: string; repo?: string } = {},
) {
  const example = (githubExamples as { name: string; examples: Json[] }[])
    .find((entry) => entry.name === 'workflow_job')!
    .examples.find((e) => e.action === 'completed' && e.workflow_job.conclusion === 'success')!;
  const payload = structuredClone(example);
  payload.workflow_job.name = name;
  payload.workflow_job.conclusion = conclusion;
  payload.workflow_job.head_branch = overrides.branch ?? payload.repository.default_branch;
  payload.workflow_job.completed_at = new Date().toISOString();
  if (overrides.repo) payload.repository.full_name = overrides.repo;
  return payload;
}

describe('CI evidence: integrations, signed webhooks, evidence and team scores', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let organizationId: string;
  let org: string;

  const deliveryCount = () =>
    withClient(testApp.database.adminUrl, async (client) => {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM webhook_deliveries',
      );
      return rows[0].n;
    });

  async function team(slug: string): Promise<string> {
    const response = await testApp
      .http()
      .post(`${org}/teams`)
      .set(owner.auth)
      .send({ name: slug, slug })
      .expect(201);
    return response.body.id;
  }

  /** Submits an assessment of the team on the built-in model with these answers. */
  async function submitAssessment(teamId: string, answers: Record<string, string>) {
    const draft = await testApp
      .http()
      .post(`${org}/teams/${teamId}/assessments`)
      .set(owner.auth)
      .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) })
      .expect(201);
    const answered = await testApp
      .http()
      .put(`${org}/assessments/${draft.body.id}/answers`)
      .set(owner.auth)
      .set('If-Match', draft.body.etag)
      .send({
        answers: Object.entries(answers).map(([criterionKey, status]) => ({
          criterionKey,
          status,
        })),
      })
      .expect(200);
    await testApp
      .http()
      .post(`${org}/assessments/${draft.body.id}/submit`)
      .set(owner.auth)
      .set('If-Match', answered.body.etag)
      .expect(200);
    return draft.body.id as string;
  }

  async function integration(body: Json) {
    const response = await testApp
      .http()
      .post(`${org}/integrations`)
      .set(owner.auth)
      .send(body)
      .expect(201);
    return response.body as { id: string; secret: string; ingestUrl: string };
  }

  const score = async (teamId: string) =>
    (await testApp.http().get(`${org}/teams/${teamId}/score`).set(owner.auth).expect(200)).body;
  const criterion = (body: Json, key: string) =>
    body.criteria.find((c: Json) => c.criterionKey === key);
  const dimension = (body: Json, key: string) =>
    body.dimensions.find((d: Json) => d.dimensionKey === key);
  const delivery = async (integrationId: string, deliveryId: string) =>
    (
      await testApp
        .http()
        .get(`${org}/integrations/${integrationId}/deliveries/${deliveryId}`)
        .set(owner.auth)
        .expect(200)
    ).body;

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_URL: 'https://mlops.example.com' });
    owner = await signUp(testApp);
    organizationId = await createOrganization(testApp, owner);
    org = `/v1/organizations/${organizationId}`;
  });
  afterAll(() => testApp.close());

  describe('integrations', () => {
    it('shows the secret once, stores it encrypted, and validates teams and rules (422, nothing stored)', async () => {
      const teamId = await team('crud');
      const created = await integration({ kind: 'github', name: 'GitHub', teamId });
      expect(created.ingestUrl).toBe(`https://mlops.example.com/v1/hooks/${created.id}`);
      expect(created.secret.length).toBeGreaterThanOrEqual(32);
      const stored = await withClient(testApp.database.adminUrl, (client) =>
        client.query('SELECT secret_ciphertext FROM integrations WHERE id = $1', [created.id]),
      );
      expect(stored.rows[0].secret_ciphertext).not.toContain(created.secret);
      const read = await testApp
        .http()
        .get(`${org}/integrations/${created.id}`)
        .set(owner.auth)
        .expect(200);
      expect(JSON.stringify(read.body)).not.toContain(created.secret);
      expect(read.body).not.toHaveProperty('secret');

      const before = await withClient(testApp.database.adminUrl, (client) =>
        client.query('SELECT count(*)::int AS n FROM integrations'),
      );
      const bad = await testApp
        .http()
        .post(`${org}/integrations`)
        .set(owner.auth)
        .send({
          kind: 'github',
          name: 'bad',
          teamId: randomUUID(),
          rules: [
            { match: '(a|a)*$', criterionKey: 'version_control.code_in_git' },
            { match: 'lint', criterionKey: 'testing.no_such_thing' },
          ],
        })
        .expect(422);
      expect(bad.body.errors.map((e: Json) => e.field)).toEqual([
        'teamId',
        'rules[0].match',
        'rules[1].criterionKey',
      ]);
      const after = await withClient(testApp.database.adminUrl, (client) =>
        client.query('SELECT count(*)::int AS n FROM integrations'),
      );
      expect(after.rows[0].n).toBe(before.rows[0].n);

      const patched = await testApp
        .http()
        .patch(`${org}/integrations/${created.id}`)
        .set(owner.auth)
        .send({ branches: ['main', 'release/*'], teamId: null })
        .expect(200);
      expect(patched.body).toMatchObject({ branches: ['main', 'release/*'], teamId: null });
      const list = await testApp.http().get(`${org}/integrations`).set(owner.auth).expect(200);
      expect(list.body.items.map((i: Json) => i.id)).toContain(created.id);
    });

    it('a member cannot manage integrations (403) and another tenant sees nothing (404)', async () => {
      const created = await integration({ kind: 'gitlab', name: 'GitLab' });
      for (const role of ['assessor', 'member'] as const) {
        const user = await joinedMember(testApp, owner, organizationId, role);
        await testApp.http().get(`${org}/integrations`).set(user.auth).expect(403);
        await testApp
          .http()
          .post(`${org}/integrations`)
          .set(user.auth)
          .send({ kind: 'github', name: 'mine' })
          .expect(403);
      }
      const stranger = await signUp(testApp);
      const otherOrg = await createOrganization(testApp, stranger);
      await testApp
        .http()
        .get(`/v1/organizations/${otherOrg}/integrations/${created.id}`)
        .set(stranger.auth)
        .expect(404);
      await testApp.http().get(`${org}/integrations/${created.id}`).set(stranger.auth).expect(404);
    });
  });

  describe('GitHub', () => {
    let teamId: string;
    let hook: { id: string; secret: string };
    beforeAll(async () => {
      teamId = await team('github-team');
      await submitAssessment(teamId, {
        'version_control.code_in_git': 'met',
        'version_control.pinned_dependencies': 'not_met',
      });
      hook = await integration({ kind: 'github', name: 'GitHub Actions', teamId });
    });

    it('signed workflow_job -> 202 -> processed -> evidence -> score and snapshot (cause evidence)', async () => {
      expect(dimension(await score(teamId), 'version_control').level).toBe(0);
      const deliveryId = randomUUID();
      const accepted = await sendGithub(
        testApp,
        hook.id,
        'workflow_job',
        workflowJob('mlops:dependency-lock (ubuntu)', 'success'),
        hook.secret,
        deliveryId,
      ).expect(202);
      expect(accepted.body).toMatchObject({ duplicate: false, status: 'received' });
      // Stored before the answer, processed by the job the same transaction enqueued.
      const stored = await delivery(hook.id, accepted.body.deliveryId);
      expect(stored).toMatchObject({ status: 'received', providerDeliveryId: deliveryId });
      expect(stored.headers).not.toHaveProperty('x-hub-signature-256');
      expect(await processQueuedDeliveries(testApp)).toBe(1);

      const processed = await delivery(hook.id, accepted.body.deliveryId);
      expect(processed.status).toBe('processed');
      expect(processed.outcome.evidence).toEqual([
        expect.objectContaining({
          teamId,
          criterionKey: 'version_control.pinned_dependencies',
          passed: true,
        }),
      ]);
      const evidence = await testApp
        .http()
        .get(`${org}/teams/${teamId}/evidence?fresh=true`)
        .set(owner.auth)
        .expect(200);
      expect(evidence.body.items).toEqual([
        expect.objectContaining({
          criterionKey: 'version_control.pinned_dependencies',
          passed: true,
          fresh: true,
          source: 'webhook',
          deliveryId: accepted.body.deliveryId,
        }),
      ]);
      const current = await score(teamId);
      expect(dimension(current, 'version_control').level).toBe(1);
      expect(criterion(current, 'version_control.pinned_dependencies')).toMatchObject({
        status: 'met',
        answerStatus: 'not_met',
        provenance: 'ci',
      });
      expect(current.lastChange).toMatchObject({
        cause: 'evidence',
        causeId: accepted.body.deliveryId,
      });
      const progress = await testApp
        .http()
        .get(`${org}/teams/${teamId}/progress?dimension=version_control`)
        .set(owner.auth)
        .expect(200);
      expect(progress.body.items.map((p: Json) => [p.cause, p.level])).toEqual([
        ['assessment', 0],
        ['evidence', 1],
      ]);
      expect(progress.body.items[1].causeId).toBe(accepted.body.deliveryId);
    });

    it('a replayed delivery answers 200 duplicate and is processed once, also when copies race on two API processes', async () => {
      const replica = await startTestApp(
        { PUBLIC_URL: 'https://mlops.example.com' },
        { database: testApp.database },
      );
      try {
        const deliveryId = randomUUID();
        const payload = workflowJob('mlops:source-commit', 'success');
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            sendGithub(
              i % 2 ? replica : testApp,
              hook.id,
              'workflow_job',
              payload,
              hook.secret,
              deliveryId,
            ),
          ),
        );
        expect(answers.map((a) => a.status).sort()).toEqual([
          200, 200, 200, 200, 200, 200, 200, 202,
        ]);
        expect(new Set(answers.map((a) => a.body.deliveryId)).size).toBe(1);
        expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(7);
        expect(await processQueuedDeliveries(testApp)).toBe(1);
        const again = await sendGithub(
          testApp,
          hook.id,
          'workflow_job',
          payload,
          hook.secret,
          deliveryId,
        ).expect(200);
        expect(again.body).toMatchObject({ duplicate: true, status: 'processed' });
        expect(await processQueuedDeliveries(testApp)).toBe(0);
        const rows = await withClient(testApp.database.adminUrl, (client) =>
          client.query(
            'SELECT count(*)::int AS n FROM webhook_deliveries WHERE provider_delivery_id = $1',
            [deliveryId],
          ),
        );
        expect(rows.rows[0].n).toBe(1);
      } finally {
        await replica.close();
      }
    });

    it('refuses a wrong secret, one changed byte, no signature (401), unknown ids (404, same detail), bad JSON (400) and oversize bodies (413); stores nothing', async () => {
      const before = await deliveryCount();
      const payload = workflowJob('mlops:source-commit', 'success');
      const wrong = await sendGithub(
        testApp,
        hook.id,
        'workflow_job',
        payload,
        'not-the-secret',
      ).expect(401);
      const body = JSON.stringify(payload);
      const tampered = await testApp
        .http()
        .post(`/v1/hooks/${hook.id}`)
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', 'workflow_job')
        .set('X-GitHub-Delivery', randomUUID())
        .set('X-Hub-Signature-256', githubSignature(hook.secret, body))
        .send(body.replace('"success"', '"failure"'))
        .expect(401);
      await testApp
        .http()
        .post(`/v1/hooks/${hook.id}`)
        .set('X-GitHub-Event', 'workflow_job')
        .set('X-GitHub-Delivery', randomUUID())
        .send(payload)
        .expect(401);
      const unknown = await sendGithub(
        testApp,
        randomUUID(),
        'workflow_job',
        payload,
        hook.secret,
      ).expect(404);
      const notAnId = await testApp.http().post('/v1/hooks/not-an-id').send({}).expect(404);
      for (const refused of [tampered, unknown, notAnId]) {
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(refused.body.detail).toBe(wrong.body.detail);
      }
      await testApp
        .http()
        .post(`/v1/hooks/${hook.id}`)
        .set('Content-Type', 'application/json')
        .send('{"not json')
        .expect(400);
      const oversize = JSON.stringify({ padding: 'x'.repeat(testApp.config.BODY_LIMIT_BYTES) });
      await testApp
        .http()
        .post(`/v1/hooks/${hook.id}`)
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', 'workflow_job')
        .set('X-GitHub-Delivery', randomUUID())
        .set('X-Hub-Signature-256', githubSignature(hook.secret, oversize))
        .send(oversize)
        .expect(413);
      expect(await deliveryCount()).toBe(before);
    });

    it('answers a ping with 200, and the old secret keeps working for 24 h after a rotation', async () => {
      await sendGithub(
        testApp,
        hook.id,
        'ping',
        { zen: 'Keep it logically awesome.', hook_id: 1 },
        hook.secret,
      )
        .expect(200)
        .expect((r) => expect(r.body.status).toBe('processed'));
      const rotated = await testApp
        .http()
        .post(`${org}/integrations/${hook.id}/rotate-secret`)
        .set(owner.auth)
        .expect(200);
      expect(rotated.body.secret).not.toBe(hook.secret);
      expect(new Date(rotated.body.previousSecretExpiresAt).getTime()).toBeGreaterThan(
        Date.now() + 23 * 3600_000,
      );
      const payload = workflowJob('unrelated job', 'success');
      await sendGithub(testApp, hook.id, 'workflow_job', payload, hook.secret).expect(202);
      await sendGithub(testApp, hook.id, 'workflow_job', payload, rotated.body.secret).expect(202);
      await sendGithub(testApp, hook.id, 'workflow_job', payload, 'guess').expect(401);
      // The old secret stops when the overlap ends.
      await withClient(testApp.database.adminUrl, (client) =>
        client.query(
          `UPDATE integrations SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
          [hook.id],
        ),
      );
      await sendGithub(testApp, hook.id, 'workflow_job', payload, hook.secret).expect(401);
      hook = { ...hook, secret: rotated.body.secret };
      await processQueuedDeliveries(testApp);
    });

    it('ignores an unmatched delivery with the reason (repository, names seen, rules tried), and redelivery after a new rule uses it', async () => {
      const accepted = await sendGithub(
        testApp,
        hook.id,
        'workflow_job',
        workflowJob('validate-data', 'success'),
        hook.secret,
      ).expect(202);
      await processQueuedDeliveries(testApp);
      const ignored = await delivery(hook.id, accepted.body.deliveryId);
      expect(ignored.status).toBe('ignored');
      expect(ignored.outcome.ignored).toMatchObject({
        reason: expect.stringContaining('no run name matched'),
        names: ['validate-data'],
      });
      expect(ignored.outcome.ignored.repository).toEqual(expect.any(String));

      const rules = await testApp
        .http()
        .patch(`${org}/integrations/${hook.id}`)
        .set(owner.auth)
        .send({
          rules: [{ match: '^validate-data$', criterionKey: 'version_control.code_in_git' }],
        })
        .expect(200);
      expect(rules.body.rules).toHaveLength(1);
      await testApp
        .http()
        .post(`${org}/integrations/${hook.id}/deliveries/${accepted.body.deliveryId}/redeliver`)
        .set(owner.auth)
        .expect(202);
      expect(await processQueuedDeliveries(testApp)).toBe(1);
      const redelivered = await delivery(hook.id, accepted.body.deliveryId);
      expect(redelivered.status).toBe('processed');
      expect(redelivered.outcome.evidence).toEqual([
        expect.objectContaining({ criterionKey: 'version_control.code_in_git', passed: true }),
      ]);
      const listed = await testApp
        .http()
        .get(`${org}/integrations/${hook.id}/deliveries?status=processed`)
        .set(owner.auth)
        .expect(200);
      expect(listed.body.items.map((d: Json) => d.id)).toContain(accepted.body.deliveryId);
      expect(listed.body.items.every((d: Json) => d.status === 'processed')).toBe(true);
    });

    it('a failing attempt marks the delivery failed, the last one dead; redeliver processes it', async () => {
      const accepted = await sendGithub(
        testApp,
        hook.id,
        'workflow_job',
        workflowJob('mlops:lint', 'success'),
        hook.secret,
      ).expect(202);
      const jobs = await withClient(testApp.database.adminUrl, async (client) => {
        const { rows } = await client.query<{ data: object }>(
          `DELETE FROM pgboss.job WHERE name = $1 AND state = 'created' RETURNING data`,
          ['integrations.process-delivery'],
        );
        return rows;
      });
      expect(jobs).toHaveLength(1);
      const payload = jobs[0].data as { organizationId: string; deliveryId: string };
      const handler = testApp.app.get(ProcessDeliveryJob);
      // The database refuses the evidence insert, as an outage would.
      await withClient(testApp.database.adminUrl, (client) =>
        client.query('REVOKE INSERT ON evidence FROM mlops_app'),
      );
      try {
        await expect(
          handler.handle(payload, { id: randomUUID(), name: 'x', retryCount: 0 }),
        ).rejects.toThrow();
        const failed = await delivery(hook.id, accepted.body.deliveryId);
        expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
        expect(failed.lastError).toContain('permission denied');
        await expect(
          handler.handle(payload, { id: randomUUID(), name: 'x', retryCount: 5 }),
        ).rejects.toThrow();
        expect(await delivery(hook.id, accepted.body.deliveryId)).toMatchObject({
          status: 'dead',
          attempts: 2,
        });
      } finally {
        await withClient(testApp.database.adminUrl, (client) =>
          client.query('GRANT INSERT ON evidence TO mlops_app'),
        );
      }
      await testApp
        .http()
        .post(`${org}/integrations/${hook.id}/deliveries/${accepted.body.deliveryId}/redeliver`)
        .set(owner.auth)
        .expect(202);
      expect(await processQueuedDeliveries(testApp)).toBe(1);
      expect(await delivery(hook.id, accepted.body.deliveryId)).toMatchObject({
        status: 'processed',
        lastError: null,
      });
    });

    it('only the default branch counts by default: a feature-branch run is skipped with the reason', async () => {
      const accepted = await sendGithub(
        testApp,
        hook.id,
        'workflow_job',
        workflowJob('mlops:unit-tests', 'success', { branch: 'feature/x' }),
        hook.secret,
      ).expect(202);
      await processQueuedDeliveries(testApp);
      const ignored = await delivery(hook.id, accepted.body.deliveryId);
      expect(ignored.status).toBe('ignored');
      expect(JSON.stringify(ignored.outcome.skipped)).toContain('feature/x');
    });

    it('fresh failing evidence against a "met" answer is a conflict: visible, not counted as met', async () => {
      const accepted = await sendGithub(
        testApp,
        hook.id,
        'workflow_job',
        workflowJob('mlops:source-commit', 'failure'),
        hook.secret,
      ).expect(202);
      await processQueuedDeliveries(testApp);
      expect((await delivery(hook.id, accepted.body.deliveryId)).status).toBe('processed');
      const current = await score(teamId);
      expect(criterion(current, 'version_control.code_in_git')).toMatchObject({
        status: 'not_met',
        answerStatus: 'met',
        provenance: 'conflict',
        evidence: expect.objectContaining({ passed: false }),
      });
      expect(current.conflictCount).toBe(1);
      expect(dimension(current, 'version_control').level).toBe(0);
    });
  });

  describe('draining a backlog: deliveries processed in batches', () => {
    type Payload = { organizationId: string; deliveryId: string };
    /** The queued processing jobs, taken off the queue (a test hands them to handleBatch). */
    const takeQueued = () =>
      withClient(testApp.database.adminUrl, async (client) => {
        const { rows } = await client.query<{ data: Payload }>(
          `DELETE FROM pgboss.job WHERE name = $1 AND state = 'created' RETURNING data`,
          ['integrations.process-delivery'],
        );
        return rows.map(({ data }) => ({
          payload: data,
          job: { id: randomUUID(), name: 'integrations.process-delivery', retryCount: 0 },
        }));
      });
    const send = async (hook: { id: string; secret: string }, name: string) =>
      (
        await sendGithub(
          testApp,
          hook.id,
          'workflow_job',
          workflowJob(name, 'success'),
          hook.secret,
        ).expect(202)
      ).body.deliveryId as string;

    it('one transaction per batch: evidence for each delivery, each team re-scored once (named by its latest delivery); a re-run changes nothing', async () => {
      const teamA = await team('batch-a');
      const teamB = await team('batch-b');
      for (const id of [teamA, teamB]) {
        await submitAssessment(id, {
          'version_control.code_in_git': 'met',
          'version_control.pinned_dependencies': 'not_met',
        });
      }
      const hookA = await integration({ kind: 'github', name: 'Batch A', teamId: teamA });
      const hookB = await integration({ kind: 'github', name: 'Batch B', teamId: teamB });
      const firstA = await send(hookA, 'mlops:source-commit');
      const onlyB = await send(hookB, 'mlops:dependency-lock (ubuntu)');
      const lastA = await send(hookA, 'mlops:dependency-lock (ubuntu)');
      const jobs = await takeQueued();
      expect(jobs).toHaveLength(3);
      const handler = testApp.app.get(ProcessDeliveryJob);
      expect(await handler.handleBatch(jobs)).toEqual([undefined, undefined, undefined]);

      const [a1, b, a2] = await Promise.all([
        delivery(hookA.id, firstA),
        delivery(hookB.id, onlyB),
        delivery(hookA.id, lastA),
      ]);
      for (const processed of [a1, b, a2]) {
        expect(processed).toMatchObject({ status: 'processed', attempts: 1 });
        expect(processed.outcome.evidence).toHaveLength(1);
      }
      // Team A was re-scored once, after both of its deliveries: the later one names the change.
      expect(a1.outcome.teams).toEqual([
        expect.objectContaining({ teamId: teamA, changed: false }),
      ]);
      expect(a2.outcome.teams).toEqual([expect.objectContaining({ teamId: teamA, changed: true })]);
      expect(a1.outcome.teams[0].score).toBe(a2.outcome.teams[0].score);
      expect(b.outcome.teams).toEqual([expect.objectContaining({ teamId: teamB, changed: true })]);
      const snapshots = async (teamId: string) =>
        (
          await testApp
            .http()
            .get(`${org}/teams/${teamId}/progress?dimension=version_control`)
            .set(owner.auth)
            .expect(200)
        ).body.items.map((p: Json) => [p.cause, p.causeId ?? null, p.level]);
      expect((await snapshots(teamA)).filter(([cause]: string[]) => cause === 'evidence')).toEqual([
        ['evidence', lastA, 1],
      ]);
      expect((await snapshots(teamB)).filter(([cause]: string[]) => cause === 'evidence')).toEqual([
        ['evidence', onlyB, 1],
      ]);
      expect((await score(teamA)).lastChange).toMatchObject({ cause: 'evidence', causeId: lastA });

      // The same jobs again (as after a crash before pg-boss heard they completed): nothing changes.
      expect(await handler.handleBatch(jobs)).toEqual([undefined, undefined, undefined]);
      expect(await delivery(hookA.id, lastA)).toMatchObject({ status: 'processed', attempts: 1 });
      const evidenceRows = await withClient(testApp.database.adminUrl, async (client) => {
        const { rows } = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM evidence WHERE delivery_id = ANY($1::uuid[])',
          [[firstA, onlyB, lastA]],
        );
        return rows[0].n;
      });
      expect(evidenceRows).toBe(3);
    });

    it('a batch that fails is processed delivery by delivery: only the bad delivery fails', async () => {
      const teamId = await team('batch-fallback');
      const hook = await integration({ kind: 'github', name: 'Batch fallback', teamId });
      const good = await send(hook, 'mlops:source-commit');
      const bad = await send(hook, 'mlops:dependency-lock (ubuntu)');
      const jobs = await takeQueued();
      expect(jobs).toHaveLength(2);
      // The database refuses the bad delivery's evidence (and so the batch's single insert).
      await withClient(testApp.database.adminUrl, (client) =>
        client.query(`
          CREATE FUNCTION test_refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.delivery_id = '${bad}'::uuid THEN RAISE EXCEPTION 'refused for the test'; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER test_refuse_delivery BEFORE INSERT ON evidence
            FOR EACH ROW EXECUTE FUNCTION test_refuse_delivery();`),
      );
      let outcomes: (Error | undefined)[];
      try {
        outcomes = await testApp.app.get(ProcessDeliveryJob).handleBatch(jobs);
      } finally {
        await withClient(testApp.database.adminUrl, (client) =>
          client.query(`DROP TRIGGER test_refuse_delivery ON evidence;
                        DROP FUNCTION test_refuse_delivery();`),
        );
      }
      const byDelivery = new Map(
        jobs.map((job, index) => [job.payload.deliveryId, outcomes[index]]),
      );
      expect(byDelivery.get(good)).toBeUndefined();
      expect(byDelivery.get(bad)?.message).toContain('refused for the test');
      expect(await delivery(hook.id, good)).toMatchObject({ status: 'processed', attempts: 1 });
      expect(await delivery(hook.id, bad)).toMatchObject({ status: 'failed', attempts: 1 });
    });
  });

  describe('every provider event kind, end to end', () => {
    const examples = githubExamples as { name: string; examples: Json[] }[];
    const github = (
      event: string,
      pick: (example: Json) => boolean,
      edit: (payload: Json) => void,
    ) => {
      const payload = structuredClone(examples.find((e) => e.name === event)!.examples.find(pick)!);
      edit(payload);
      return payload;
    };
    const gitlabFixture = (name: string): Json =>
      JSON.parse(
        readFileSync(join(__dirname, '../../../libs/ci-evidence/test/fixtures', name), 'utf8'),
      );
    const keyOf = (signal: string) =>
      defaultMaturityModel.dimensions
        .flatMap((d) => d.levels.flatMap((l) => l.criteria))
        .find((c) => c.ciSignal === signal)!.key;

    const cases: {
      title: string;
      kind: 'github' | 'gitlab';
      event: string;
      payload: () => Json;
      settings?: Json;
      expected: [signal: string, passed: boolean][];
    }[] = [
      {
        title: 'GitHub workflow_run',
        kind: 'github',
        event: 'workflow_run',
        payload: () =>
          github(
            'workflow_run',
            (e) => e.action === 'completed' && e.workflow_run.conclusion === 'success',
            (p) => {
              p.workflow_run.name = 'mlops:pipeline-run';
              p.workflow_run.head_branch = p.repository.default_branch;
              p.workflow_run.updated_at = new Date().toISOString();
            },
          ),
        expected: [['mlops:pipeline-run', true]],
      },
      {
        title: 'GitHub check_run',
        kind: 'github',
        event: 'check_run',
        payload: () =>
          github(
            'check_run',
            (e) => e.action === 'completed' && e.check_run.conclusion === 'failure',
            (p) => {
              p.check_run.name = 'mlops:model-tests';
              p.check_run.check_suite.head_branch = p.repository.default_branch;
              p.check_run.completed_at = new Date().toISOString();
            },
          ),
        expected: [['mlops:model-tests', false]],
      },
      {
        title: 'GitHub deployment_status',
        kind: 'github',
        event: 'deployment_status',
        payload: () =>
          github(
            'deployment_status',
            (e) => e.deployment_status.state === 'success',
            (p) => {
              delete p.workflow_run;
              delete p.workflow;
              p.deployment.task = 'mlops:deploy';
              p.deployment.ref = p.repository.default_branch;
              p.deployment_status.created_at = new Date().toISOString();
            },
          ),
        expected: [['mlops:deploy', true]],
      },
      {
        title: 'GitLab Pipeline Hook (the pipeline and each of its builds)',
        kind: 'gitlab',
        event: 'Pipeline Hook',
        payload: () => gitlabFixture('gitlab-pipeline-hook.json'),
        expected: [
          ['mlops:training-run-logged', true],
          ['mlops:data-validation', true],
          ['mlops:feature-tests', false],
        ],
      },
      {
        title: 'GitLab Deployment Hook (a rule names the environment; GitLab sends no branch)',
        kind: 'gitlab',
        event: 'Deployment Hook',
        payload: () => gitlabFixture('gitlab-deployment-hook.json'),
        settings: {
          rules: [{ match: '\\(production\\)$', criterionKey: 'PLACEHOLDER', branch: '**' }],
        },
        expected: [['mlops:deploy', true]],
      },
    ];

    // The examples' runs finished years ago, and stale proof proves nothing: each case moves its
    // run's finish to now.
    it.each(cases)('$title -> 202 -> evidence -> score and snapshot', async (c) => {
      const teamId = await team(`kind-${randomUUID().slice(0, 8)}`);
      const settings = structuredClone(c.settings ?? {});
      for (const rule of settings.rules ?? []) rule.criterionKey = keyOf('mlops:deploy');
      const hook = await integration({ kind: c.kind, name: c.title, teamId, ...settings });
      const send = c.kind === 'github' ? sendGithub : sendGitlab;
      const accepted = await send(testApp, hook.id, c.event, c.payload(), hook.secret).expect(202);
      expect(await processQueuedDeliveries(testApp)).toBe(1);
      const processed = await delivery(hook.id, accepted.body.deliveryId);
      expect(processed.status).toBe('processed');
      const produced = processed.outcome.evidence.map((e: Json) => [e.criterionKey, e.passed]);
      expect(produced.sort()).toEqual(
        c.expected.map(([signal, passed]) => [keyOf(signal), passed]).sort(),
      );
      const current = await score(teamId);
      for (const [signal, passed] of c.expected) {
        expect(criterion(current, keyOf(signal))).toMatchObject({
          provenance: 'ci',
          status: passed ? 'met' : 'not_met',
        });
      }
      const progress = await testApp
        .http()
        .get(`${org}/teams/${teamId}/progress?dimension=overall`)
        .set(owner.auth)
        .expect(200);
      expect(progress.body.items.map((p: Json) => [p.cause, p.causeId])).toEqual([
        ['evidence', accepted.body.deliveryId],
      ]);
    });
  });

  describe('GitLab and generic (Standard Webhooks)', () => {
    it('a GitLab Job Hook with the right token becomes evidence; a wrong token is 401', async () => {
      const teamId = await team('gitlab-team');
      const hook = await integration({ kind: 'gitlab', name: 'GitLab', teamId });
      const job = {
        object_kind: 'build',
        ref: 'main',
        tag: false,
        before_sha: '0000000000000000000000000000000000000000',
        sha: '95790bf891e76fee5e1747ab589903a6a1f80f22',
        build_id: 1977,
        build_name: 'mlops:unit-tests',
        build_stage: 'test',
        build_status: 'success',
        build_created_at: '2026-11-30 05:00:00 UTC',
        build_started_at: '2026-11-30 05:00:01 UTC',
        build_finished_at: new Date().toISOString(),
        build_duration: 60,
        build_allow_failure: false,
        pipeline_id: 2366,
        project_id: 380,
        project_name: 'acme / ml-fraud',
        commit: { id: 2366, sha: '95790bf891e76fee5e1747ab589903a6a1f80f22', status: 'success' },
        repository: { name: 'ml-fraud', homepage: 'https://gitlab.example.com/acme/ml-fraud' },
        project: {
          id: 380,
          name: 'ml-fraud',
          path_with_namespace: 'acme/ml-fraud',
          default_branch: 'main',
          web_url: 'https://gitlab.example.com/acme/ml-fraud',
        },
      };
      await sendGitlab(testApp, hook.id, 'Job Hook', job, 'wrong-token').expect(401);
      const accepted = await sendGitlab(testApp, hook.id, 'Job Hook', job, hook.secret).expect(202);
      await processQueuedDeliveries(testApp);
      const processed = await delivery(hook.id, accepted.body.deliveryId);
      expect(processed.status).toBe('processed');
      expect(processed.outcome.evidence).toEqual([
        expect.objectContaining({ teamId, passed: true }),
      ]);
      const current = await score(teamId);
      expect(current.assessmentId).toBeNull();
      expect(current.criteria.filter((c: Json) => c.provenance === 'ci')).toHaveLength(1);
    });

    it('generic evidence.reported, signed with Standard Webhooks; a stale timestamp is 401', async () => {
      const teamId = await team('generic-team');
      const hook = await integration({ kind: 'generic', name: 'Jenkins' });
      expect(hook.secret).toMatch(/^whsec_/);
      const payload = {
        type: 'evidence.reported',
        timestamp: new Date().toISOString(),
        data: { teamId, signal: 'mlops:lint', passed: true, url: 'https://ci.example.com/1' },
      };
      await sendStandardWebhook(testApp, hook.id, payload, hook.secret, {
        timestamp: new Date(Date.now() - 6 * 60_000),
      }).expect(401);
      const accepted = await sendStandardWebhook(testApp, hook.id, payload, hook.secret).expect(
        202,
      );
      await processQueuedDeliveries(testApp);
      const processed = await delivery(hook.id, accepted.body.deliveryId);
      expect(processed.status).toBe('processed');
      const evidence = await testApp
        .http()
        .get(`${org}/teams/${teamId}/evidence`)
        .set(owner.auth)
        .expect(200);
      expect(evidence.body.items).toEqual([
        expect.objectContaining({ passed: true, url: 'https://ci.example.com/1' }),
      ]);
    });
  });

  describe('evidence pushed with an API key, and expiry', () => {
    let apiKey: string;
    beforeAll(async () => {
      const key = await testApp
        .http()
        .post(`${org}/api-keys`)
        .set(owner.auth)
        .send({ name: 'CI', scopes: ['evidence:write'] })
        .expect(201);
      apiKey = key.body.key;
    });

    it('stores a batch once per Idempotency-Key, and refuses unknown criteria without storing anything', async () => {
      const teamId = await team('push-team');
      const body = { items: [{ teamId, signal: 'mlops:model-tests', passed: true }] };
      const first = await testApp
        .http()
        .post(`${org}/evidence`)
        .set('Authorization', `Bearer ${apiKey}`)
        .set('Idempotency-Key', 'build-42')
        .send(body)
        .expect(201);
      expect(first.body.teams).toEqual([expect.objectContaining({ teamId, changed: true })]);
      const replay = await testApp
        .http()
        .post(`${org}/evidence`)
        .set('Authorization', `Bearer ${apiKey}`)
        .set('Idempotency-Key', 'build-42')
        .send(body)
        .expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.batchId).toBe(first.body.batchId);
      const bad = await testApp
        .http()
        .post(`${org}/evidence`)
        .set('Authorization', `Bearer ${apiKey}`)
        .send({
          items: [
            { teamId, criterionKey: 'testing.unit_tests_on_pr', passed: true },
            { teamId, criterionKey: 'testing.nope', passed: true },
            { teamId, criterionKey: 'experiment_tracking.experiments_logged', passed: true },
          ],
        })
        .expect(422);
      expect(bad.body.errors.map((e: Json) => e.field)).toEqual(['items[1]', 'items[2]']);
      expect(bad.body.errors[1].reasons).toEqual([expect.stringContaining('CI cannot prove it')]);
      const listed = await testApp
        .http()
        .get(`${org}/teams/${teamId}/evidence`)
        .set(owner.auth)
        .expect(200);
      expect(listed.body.items).toHaveLength(1);
      // A key without the scope may not push.
      const readOnly = await testApp
        .http()
        .post(`${org}/api-keys`)
        .set(owner.auth)
        .send({ name: 'reader', scopes: ['assessments:read'] })
        .expect(201);
      await testApp
        .http()
        .post(`${org}/evidence`)
        .set('Authorization', `Bearer ${readOnly.body.key}`)
        .send(body)
        .expect(403);
    });

    it('expiry lowers a level that rested on proof that went stale (snapshot cause expiry)', async () => {
      const teamId = await team('expiry-team');
      await submitAssessment(teamId, {
        'version_control.code_in_git': 'met',
        'version_control.pinned_dependencies': 'not_met',
      });
      // Observed 30 days ago less 2 seconds: fresh for two more seconds.
      const observedAt = new Date(Date.now() - 30 * 86_400_000 + 2_000).toISOString();
      await testApp
        .http()
        .post(`${org}/evidence`)
        .set('Authorization', `Bearer ${apiKey}`)
        .send({ items: [{ teamId, signal: 'mlops:dependency-lock', passed: true, observedAt }] })
        .expect(201);
      expect(dimension(await score(teamId), 'version_control').level).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await testApp.app.get(JobQueue).runNow('evidence.rescore-stale');
      const current = await score(teamId);
      expect(dimension(current, 'version_control').level).toBe(0);
      expect(criterion(current, 'version_control.pinned_dependencies').provenance).toBe('expired');
      expect(current.lastChange.cause).toBe('expiry');
      const progress = await testApp
        .http()
        .get(`${org}/teams/${teamId}/progress?dimension=version_control`)
        .set(owner.auth)
        .expect(200);
      expect(progress.body.items.map((p: Json) => [p.cause, p.level])).toEqual([
        ['assessment', 0],
        ['evidence', 1],
        ['expiry', 0],
      ]);
    });
  });
});
