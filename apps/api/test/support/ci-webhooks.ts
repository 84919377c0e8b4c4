import { createHmac, randomUUID } from 'node:crypto';
import { signStandardWebhook } from '@app/ci-evidence';
import { JobQueue } from '@app/jobs';
import type { TestApp } from './test-app';
import { withClient } from './test-database';

export const PROCESS_DELIVERY_JOB = 'integrations.process-delivery';

/** GitHub's signature header for a body: `sha256=<hex HMAC-SHA256(secret, body)>`. */
export function githubSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function sendGithub(
  testApp: TestApp,
  integrationId: string,
  event: string,
  payload: unknown,
  secret: string,
  deliveryId: string = randomUUID(),
) {
  const body = JSON.stringify(payload);
  return testApp
    .http()
    .post(`/v1/hooks/${integrationId}`)
    .set('Content-Type', 'application/json')
    .set('X-GitHub-Event', event)
    .set('X-GitHub-Delivery', deliveryId)
    .set('X-Hub-Signature-256', githubSignature(secret, body))
    .send(body);
}

export function sendGitlab(
  testApp: TestApp,
  integrationId: string,
  event: string,
  payload: unknown,
  token: string,
  eventUuid: string = randomUUID(),
) {
  return testApp
    .http()
    .post(`/v1/hooks/${integrationId}`)
    .set('Content-Type', 'application/json')
    .set('X-Gitlab-Event', event)
    .set('X-Gitlab-Event-UUID', eventUuid)
    .set('X-Gitlab-Token', token)
    .send(JSON.stringify(payload));
}

export function sendStandardWebhook(
  testApp: TestApp,
  integrationId: string,
  payload: unknown,
  secret: string,
  options: { id?: string; timestamp?: Date } = {},
) {
  const body = JSON.stringify(payload);
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  return testApp
    .http()
    .post(`/v1/hooks/${integrationId}`)
    .set('Content-Type', 'application/json')
    .set('webhook-id', id)
    .set('webhook-timestamp', String(Math.floor(timestamp.getTime() / 1000)))
    .set('webhook-signature', signStandardWebhook(secret, id, timestamp, body))
    .send(body);
}

/**
 * Runs the processing jobs the ingest route enqueued (the outbox rows in pg-boss), as a worker
 * would, and removes them from the queue. The test app runs no workers of its own.
 */
export async function processQueuedDeliveries(testApp: TestApp): Promise<number> {
  const jobs = await withClient(testApp.database.adminUrl, async (client) => {
    const { rows } = await client.query<{ id: string; data: object }>(
      `DELETE FROM pgboss.job WHERE name = $1 AND state = 'created' RETURNING id, data`,
      [PROCESS_DELIVERY_JOB],
    );
    return rows;
  });
  for (const job of jobs) await testApp.app.get(JobQueue).runNow(PROCESS_DELIVERY_JOB, job.data);
  return jobs.length;
}
