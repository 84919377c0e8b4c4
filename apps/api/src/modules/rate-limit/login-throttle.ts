import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainError } from '@app/common';
import { RateLimitStore } from './rate-limit.repository';

const WINDOW_MS = 15 * 60_000;

/** Held back; the transport tells the client how long (HTTP: Retry-After). */
export class LoginThrottledError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'too_many_requests',
      'Too many failed sign-ins from this address. Wait for the time in Retry-After before trying again.',
    );
  }
}

/**
 * Failed sign-ins, counted per (account, client address) and per client address, in the shared
 * counters. Past the free allowance each failure doubles the wait before that address may try
 * again (1 s, 2 s, 4 s ... up to 15 minutes). Nothing is counted per account alone: failures from
 * an attacker's address never stop the owner signing in from another one.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private keys(email: string, ip: string) {
    // Hashed: the counters table holds no email address.
    const account = createHash('sha256').update(email).digest('hex').slice(0, 32);
    return { accountAtAddress: `login:account-ip:${account}:${ip}`, address: `login:ip:${ip}` };
  }

  /** Throws a 429 (with the seconds to wait) while this account or address is held back. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const { accountAtAddress, address } = this.keys(email, ip);
    const waitMs = await this.counters.msToUnblock([accountAtAddress, address]);
    if (waitMs > 0) throw new LoginThrottledError(Math.max(1, Math.ceil(waitMs / 1000)));
  }

  async failed(email: string, ip: string): Promise<void> {
    const { accountAtAddress, address } = this.keys(email, ip);
    await Promise.all([
      this.counters.recordFailure(
        accountAtAddress,
        WINDOW_MS,
        this.config.AUTH_RATE_LIMIT_PER_ACCOUNT,
        WINDOW_MS,
      ),
      this.counters.recordFailure(address, WINDOW_MS, this.config.AUTH_FAILURES_PER_IP, WINDOW_MS),
    ]);
  }

  /** A correct password clears this account's failures at this address (not the address's). */
  async succeeded(email: string, ip: string): Promise<void> {
    await this.counters.reset(this.keys(email, ip).accountAtAddress);
  }
}
