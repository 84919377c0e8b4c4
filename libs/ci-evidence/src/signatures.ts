import { isUtf8 } from 'node:buffer';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { CiProvider } from './types';

/** Standard Webhooks' tolerance: the timestamp may be this far off `now`, either way. */
export const STANDARD_WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
/** More signatures than this in one header are not looked at (rotation needs two). */
const MAX_SIGNATURES = 16;

/** Equal-length digests, so the comparison time says nothing about either input. */
function constantTimeEquals(a: string | Buffer, b: string | Buffer): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  return timingSafeEqual(digestA, digestB);
}

const GITHUB_SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`.
 * Hand-written with node:crypto because @octokit/webhooks-methods is ESM-only (a CommonJS
 * `require()` of it fails at run time) and would make this synchronous check async; the HMAC and
 * a constant-time compare are all it does.
 */
export function verifyGithubSignature(
  secret: string,
  rawBody: Buffer,
  signatureHeader: string | undefined,
): boolean {
  if (!secret || typeof signatureHeader !== 'string') return false;
  const hex = GITHUB_SIGNATURE.exec(signatureHeader.trim())?.[1];
  if (!hex) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

/** GitLab `X-Gitlab-Token`: the shared secret itself, compared in constant time. */
export function verifyGitlabToken(secret: string, tokenHeader: string | undefined): boolean {
  if (!secret || typeof tokenHeader !== 'string' || tokenHeader === '') return false;
  return constantTimeEquals(secret, tokenHeader);
}

export type StandardWebhookVerdict = 'ok' | 'missing_headers' | 'stale_timestamp' | 'bad_signature';

export interface StandardWebhookHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

function webhookFor(secret: string): Webhook | null {
  try {
    return new Webhook(secret);
  } catch {
    return null;
  }
}

/**
 * Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). The `standardwebhooks`
 * package computes the signature; its own `verify()` is not used because it reads the clock
 * itself (we take `now` for testability) and accepts timestamps such as "123abc".
 * The package signs the body decoded as UTF-8, so two bodies that differ only in invalid UTF-8
 * bytes would share a signature: such bodies are refused (JSON is UTF-8 anyway).
 */
export function verifyStandardWebhook(
  secret: string,
  rawBody: Buffer,
  headers: StandardWebhookHeaders,
  now: Date,
): StandardWebhookVerdict {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'missing_headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'missing_headers';
  const seconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - seconds) > STANDARD_WEBHOOK_TOLERANCE_SECONDS) {
    return 'stale_timestamp';
  }
  const webhook = webhookFor(secret);
  if (!webhook || !isUtf8(rawBody)) return 'bad_signature';
  const expected = webhook.sign(id, new Date(seconds * 1000), rawBody);
  const offered = signature.split(' ').filter(Boolean).slice(0, MAX_SIGNATURES);
  // Every candidate is compared (no early exit), so timing does not tell which one matched.
  let matched = false;
  for (const candidate of offered) {
    if (candidate.startsWith('v1,') && constantTimeEquals(candidate, expected)) matched = true;
  }
  return matched ? 'ok' : 'bad_signature';
}

/** The `webhook-signature` value for a message (tests and CI clients). */
export function signStandardWebhook(
  secret: string,
  id: string,
  timestamp: Date,
  rawBody: Buffer | string,
): string {
  return new Webhook(secret).sign(id, timestamp, rawBody);
}

/**
 * A new integration secret: `whsec_<base64 of 32 random bytes>` for Standard Webhooks; for
 * GitHub and GitLab 32 random bytes in base64url (43 printable characters, well under GitLab's
 * 255-character token limit).
 */
export function newWebhookSecret(provider: CiProvider): string {
  const bytes = randomBytes(32);
  return provider === 'generic' ? `whsec_${bytes.toString('base64')}` : bytes.toString('base64url');
}
