import type { ApiHeaderOptions } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { problems } from '@app/common';

/**
 * Strong entity tags for records with a lock version: `"<record id>.<lock version>"`. The id keeps
 * a tag of one record (say, an old draft) from matching another that has the same lock version.
 */
export function entityTag(id: string, lockVersion: number): string {
  return `"${id}.${lockVersion}"`;
}

/**
 * Checks an `If-Match` header against the current tag (RFC 9110 section 13.1.1): absent means
 * "no precondition"; `*` matches any existing record; otherwise one of the listed tags must be the
 * current one. A weak `W/` prefix is tolerated (we only issue strong tags). Throws 412 otherwise.
 */
export function assertIfMatch(ifMatch: string | undefined, currentTag: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '') return;
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(currentTag)) return;
  throw problems.preconditionFailed(
    `If-Match ${ifMatch} does not match the current ETag ${currentTag}: the record changed since ` +
      'you read it. Read it again and retry.',
  );
}

/** The OpenAPI description of the optional `If-Match` header on a write to `what`. */
/** The Idempotency-Key header of a retryable write; `what` names what a replay answers again. */
export function idempotencyKeyHeader(what: string): ApiHeaderOptions {
  return {
    name: 'Idempotency-Key',
    required: false,
    description:
      `Retries with the same key and body replay the first response (${what}); the same key ` +
      'with another body answers 422. Keys are remembered for at least 24 hours.',
  };
}

export function ifMatchHeader(what: string): ApiHeaderOptions {
  return {
    name: 'If-Match',
    required: false,
    description: `${what}'s ETag; a stale one answers 412 and nothing changes.`,
  };
}

/** Answers with the record and its current tag in the `ETag` header. */
export function withEntityTag<Body extends { etag: string }>(
  reply: FastifyReply,
  body: Body,
): Body {
  void reply.header('ETag', body.etag);
  return body;
}
