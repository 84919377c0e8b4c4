import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { problems } from '@app/common';
import { OrganizationId, TransactionClient, toStoredJson } from '@app/database';
import { IdempotencyRepository } from './idempotency.repository';

/** The result of a write: what the first request got, and what retries replay. */
export interface StoredResponse<Body> {
  body: Body;
  /** True when this is a replay of an earlier request with the same key. */
  replayed: boolean;
}

export interface IdempotentRequest {
  /** The kind of write, e.g. 'assessment.create'; keys are scoped to it and to the organization. */
  operation: string;
  /** The client's Idempotency-Key header; undefined = the request is not idempotent. */
  key: string | undefined;
  /** What the write acts on (its ids), part of the fingerprint. */
  subject: string;
  body: unknown;
}

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted at every depth: equal requests have equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(
  request: Pick<IdempotentRequest, 'operation' | 'subject' | 'body'>,
) {
  return createHash('sha256')
    .update(`${request.operation} ${request.subject}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

/**
 * Idempotency-Key for retried writes. Used inside the write's own transaction:
 *
 * 1. a transaction-scoped advisory lock on (organization, operation, key) makes concurrent
 *    requests with the same key wait for each other, so only one does the work;
 * 2. a stored record with the same fingerprint (sha256 of operation, subject and canonical body) is
 *    replayed: same status, same body (same ids), no second write;
 * 3. a stored record with another fingerprint -> 422: the key was reused for a different request;
 * 4. otherwise the work runs and its response is stored in the same transaction, so the record
 *    exists exactly when the write committed.
 *
 * Records are kept per organization; the primary key (organization, operation, key) is the last
 * line of defence: if it ever fires, the caller's transaction rolls back and the retry replays.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly records: IdempotencyRepository) {}

  /** 400 for a malformed key; undefined when none was sent. */
  parseKey(header: string | string[] | undefined): string | undefined {
    if (header === undefined) return undefined;
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !KEY_FORMAT.test(key)) {
      throw problems.validation(
        [{ field: 'Idempotency-Key', reasons: ['must be 1-255 visible ASCII characters'] }],
        'The Idempotency-Key header is not valid.',
      );
    }
    return key;
  }

  async execute<Body>(
    tx: TransactionClient,
    organizationId: OrganizationId,
    request: IdempotentRequest,
    work: () => Promise<Body>,
  ): Promise<StoredResponse<Body>> {
    if (request.key === undefined) return { body: await work(), replayed: false };
    const fingerprint = requestFingerprint(request);
    await this.records.lock(tx, organizationId, request.operation, request.key);
    const stored = await this.records.find(tx, organizationId, request.operation, request.key);
    if (stored) {
      if (stored.requestFingerprint !== fingerprint) throw this.reusedKey();
      return { body: stored.responseBody as Body, replayed: true };
    }
    const body = await work();
    await this.records.insert(tx, organizationId, {
      operation: request.operation,
      key: request.key,
      requestFingerprint: fingerprint,
      responseBody: toStoredJson(body),
    });
    return { body, replayed: false };
  }

  /** After a transaction lost a race on the record's primary key: the winner's response. */
  async replay<Body>(
    tx: TransactionClient,
    organizationId: OrganizationId,
    request: IdempotentRequest,
  ): Promise<StoredResponse<Body> | undefined> {
    if (request.key === undefined) return undefined;
    const stored = await this.records.find(tx, organizationId, request.operation, request.key);
    if (!stored) return undefined;
    if (stored.requestFingerprint !== requestFingerprint(request)) throw this.reusedKey();
    return { body: stored.responseBody as Body, replayed: true };
  }

  private reusedKey() {
    return problems.unprocessable(
      'idempotency key reused with a different request: send a new Idempotency-Key for a new request.',
    );
  }
}
