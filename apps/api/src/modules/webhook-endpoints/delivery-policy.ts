/**
 * When a webhook delivery is retried, and what its outcome is: the Standard Webhooks schedule
 * (https://www.standardwebhooks.com, "Retry schedule"): at once, then after 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 14 h, 20 h and 24 h; only a 2xx answer is a success; 410 Gone disables the
 * endpoint; a Retry-After answer waits at least that long (at most a day).
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
export const DELIVERY_TIMEOUT_MS = 15_000;
const LONGEST_WAIT_SECONDS = 86_400;

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string }
  | { kind: 'error'; message: string }
  /** The address is one webhooks may not reach (see address-guard.ts): not retried. */
  | { kind: 'refused'; message: string };

export type DeliveryDecision =
  | { status: 'succeeded' }
  | { status: 'failed'; error: string | null; disableEndpoint?: string }
  | { status: 'pending'; error: string | null; nextAttemptAt: Date };

/** Retry-After as seconds from `now`: delta-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
export function retryAfterSeconds(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** What to do after attempt number `attempt` (1-based) ended with `result`. */
export function decide(attempt: number, result: AttemptResult, now: Date): DeliveryDecision {
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    return { status: 'succeeded' };
  }
  if (result.kind === 'response' && result.status === 410) {
    return {
      status: 'failed',
      error: 'HTTP 410',
      disableEndpoint: 'The endpoint answered 410 Gone.',
    };
  }
  const error = result.kind === 'response' ? `HTTP ${result.status}` : result.message;
  if (result.kind === 'refused' || attempt >= MAX_ATTEMPTS) return { status: 'failed', error };
  const scheduled = RETRY_DELAYS_SECONDS[attempt - 1];
  const asked = result.kind === 'response' ? retryAfterSeconds(result.retryAfter, now) : undefined;
  const wait = Math.min(Math.max(scheduled, asked ?? 0), LONGEST_WAIT_SECONDS);
  return { status: 'pending', error, nextAttemptAt: new Date(now.getTime() + wait * 1000) };
}
