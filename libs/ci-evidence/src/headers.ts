import type { CiProvider } from './types';

type Headers = Record<string, string | undefined>;

/** Longest delivery id or event name kept; longer values are not ids we can store. */
export const MAX_HEADER_ID_LENGTH = 256;

function usable(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.length <= MAX_HEADER_ID_LENGTH ? trimmed : null;
}

/** The provider's delivery id, the deduplication key (null when absent or unusable). */
export function deliveryIdOf(provider: CiProvider, headers: Headers): string | null {
  switch (provider) {
    case 'github':
      return usable(headers['x-github-delivery']);
    case 'gitlab':
      // Idempotency-Key (GitLab 17.4+) stays the same across retries; the event UUID too,
      // but older versions send only the latter.
      return usable(headers['idempotency-key']) ?? usable(headers['x-gitlab-event-uuid']);
    case 'generic':
      return usable(headers['webhook-id']);
  }
}

/** The event name: GitHub and GitLab send it in a header, Standard Webhooks in the body. */
export function eventOf(provider: CiProvider, headers: Headers, body: unknown): string | null {
  switch (provider) {
    case 'github':
      return usable(headers['x-github-event']);
    case 'gitlab':
      return usable(headers['x-gitlab-event']);
    case 'generic':
      return body !== null && typeof body === 'object' && !Array.isArray(body)
        ? usable((body as Record<string, unknown>).type)
        : null;
  }
}

const CREDENTIAL_HEADERS = new Set([
  'x-hub-signature',
  'x-hub-signature-256',
  'x-gitlab-token',
  'webhook-signature',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);
const CREDENTIAL_WORDS = /token|secret|signature|password|credential|api-?key/i;

/** The headers worth storing with a delivery: every credential removed, the rest kept. */
export function redactHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string] =>
        typeof entry[1] === 'string' &&
        !CREDENTIAL_HEADERS.has(entry[0].toLowerCase()) &&
        !CREDENTIAL_WORDS.test(entry[0]),
    ),
  );
}
