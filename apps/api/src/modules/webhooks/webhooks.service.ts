import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  type CiProvider,
  deliveryIdOf,
  eventOf,
  redactHeaders,
  verifyGithubSignature,
  verifyGitlabToken,
  verifyStandardWebhook,
} from '@app/ci-evidence';
import { DomainError, Metrics, problems, systemScope } from '@app/common';
import { SecretBox, sqlStateOf, TenantTransactions } from '@app/database';
import { JobQueue } from '@app/jobs';
import { PROCESS_DELIVERY_JOB } from '../integrations/integrations.jobs';
import { secretContext } from '../integrations/integrations.service';
import { DEDUPE_KEY, IngestIntegration, WebhooksRepository } from './webhooks.repository';

export const INGEST_ACTOR = 'webhook-ingest';

/**
 * One detail for an unknown integration (404) and for a bad signature (401), so the body does
 * not tell which it was.
 */
const UNVERIFIED = 'The webhook could not be verified: check the ingest URL and the secret.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Headers = Record<string, string | undefined>;

export interface IngestOutcome {
  deliveryId: string;
  duplicate: boolean;
  status: string;
  /** 202 for a new delivery to process; 200 for a duplicate or a ping. */
  statusCode: 200 | 202;
}

/**
 * The public ingest: verify the signature against the raw body bytes (constant time; during a
 * rotation the previous secret too), store the delivery with its headers minus credentials, and
 * enqueue its processing in the same transaction (outbox), before the answer. Nothing is stored
 * for a request that fails verification: a log line and a metric.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: SecretBox,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
  ) {}

  async ingest(
    integrationId: string,
    rawBody: Buffer,
    body: unknown,
    headers: Headers,
  ): Promise<IngestOutcome> {
    const integration = UUID.test(integrationId)
      ? await this.webhooks.integrationForIngest(integrationId.toLowerCase())
      : undefined;
    if (!integration) {
      this.refuse('unknown', 'not_found', 'unknown integration', integrationId);
    }
    const provider = integration.kind;
    const refusal = this.verify(integrationId, integration, rawBody, headers);
    if (refusal) this.refuse(provider, 'unauthorized', refusal, integrationId);

    const providerDeliveryId = deliveryIdOf(provider, headers);
    if (!providerDeliveryId) {
      this.metrics.webhookDeliveries.inc({ provider, outcome: 'bad_request' });
      throw problems.badRequest(
        `The delivery id header is missing (${DELIVERY_ID_HEADERS[provider]}); nothing was stored.`,
      );
    }
    const event = eventOf(provider, headers, body);
    const ping = provider === 'github' && event === 'ping';
    const scope = systemScope(integration.organizationId, INGEST_ACTOR);
    const id = randomUUID();
    const status = ping ? 'processed' : 'received';
    const statements = [
      this.webhooks.insertDeliveryStatement(scope.organizationId, {
        id,
        integrationId: integrationId.toLowerCase(),
        provider,
        event,
        providerDeliveryId,
        headers: redactHeaders(headers),
        rawBody,
        status,
      }),
    ];
    if (!ping) {
      const job = await this.jobs.enqueueStatement(PROCESS_DELIVERY_JOB, {
        organizationId: integration.organizationId,
        deliveryId: id,
      });
      statements.push(job.statement);
    }
    let stored: Omit<IngestOutcome, 'statusCode'>;
    try {
      // The delivery and its processing job (the outbox) in one round trip, one transaction.
      await this.transactions.writeOnce(scope, statements);
      stored = { deliveryId: id, duplicate: false, status };
    } catch (error) {
      if (!isDedupeViolation(error)) throw error;
      // Stored before (a provider retry, or a copy that won a race): nothing of this one was.
      const existing = await this.transactions.run(scope, (tx) =>
        this.webhooks.existingDelivery(
          tx,
          scope.organizationId,
          integrationId.toLowerCase(),
          providerDeliveryId,
        ),
      );
      if (!existing) throw new Error('a conflicting delivery vanished', { cause: error });
      stored = { deliveryId: existing.id, duplicate: true, status: existing.status };
    }
    const outcome = stored.duplicate ? 'duplicate' : ping ? 'ping' : 'accepted';
    this.metrics.webhookDeliveries.inc({ provider, outcome });
    return { ...stored, statusCode: stored.duplicate || ping ? 200 : 202 };
  }

  /** Why the request is not the integration's, or null when a live secret signed it. */
  private verify(
    integrationId: string,
    integration: IngestIntegration,
    rawBody: Buffer,
    headers: Headers,
  ): string | null {
    const secrets = this.liveSecrets(integrationId, integration);
    if (secrets.length === 0) return 'no readable secret (was SECRETS_KEY changed?)';
    const provider: CiProvider = integration.kind;
    if (provider === 'github') {
      return secrets.some((secret) =>
        verifyGithubSignature(secret, rawBody, headers['x-hub-signature-256']),
      )
        ? null
        : 'bad or missing X-Hub-Signature-256';
    }
    if (provider === 'gitlab') {
      return secrets.some((secret) => verifyGitlabToken(secret, headers['x-gitlab-token']))
        ? null
        : 'bad or missing X-Gitlab-Token';
    }
    const now = new Date();
    const verdicts = secrets.map((secret) =>
      verifyStandardWebhook(
        secret,
        rawBody,
        {
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signature: headers['webhook-signature'],
        },
        now,
      ),
    );
    if (verdicts.includes('ok')) return null;
    if (verdicts.includes('stale_timestamp')) return 'webhook-timestamp is more than 5 minutes off';
    if (verdicts.includes('missing_headers')) return 'missing webhook-id, -timestamp or -signature';
    return 'bad webhook-signature';
  }

  private liveSecrets(integrationId: string, integration: IngestIntegration): string[] {
    const context = secretContext(integrationId.toLowerCase());
    const sealed = [integration.secretCiphertext];
    if (
      integration.previousSecretCiphertext &&
      integration.previousSecretExpiresAt &&
      integration.previousSecretExpiresAt > new Date()
    ) {
      sealed.push(integration.previousSecretCiphertext);
    }
    return sealed.flatMap((value) => {
      try {
        return [this.secrets.open(value, context)];
      } catch (error) {
        this.logger.error({ err: error, integrationId }, 'an integration secret does not decrypt');
        return [];
      }
    });
  }

  private refuse(
    provider: CiProvider | 'unknown',
    outcome: 'not_found' | 'unauthorized',
    reason: string,
    integrationId: string,
  ): never {
    this.metrics.webhookDeliveries.inc({ provider, outcome });
    this.logger.warn({ integrationId, reason }, `webhook refused: ${reason}`);
    throw new DomainError(outcome, UNVERIFIED);
  }
}

const UNIQUE_VIOLATION = '23505';

/** The unique violation of the dedupe key (the constraint the pg driver names). */
function isDedupeViolation(error: unknown): boolean {
  return (
    sqlStateOf(error) === UNIQUE_VIOLATION &&
    (error as { constraint?: unknown }).constraint === DEDUPE_KEY
  );
}

const DELIVERY_ID_HEADERS: Record<CiProvider, string> = {
  github: 'X-GitHub-Delivery',
  gitlab: 'Idempotency-Key or X-Gitlab-Event-UUID',
  generic: 'webhook-id',
};
