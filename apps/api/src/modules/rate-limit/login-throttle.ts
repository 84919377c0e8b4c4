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
 *
 * An attempt is counted before the password is checked and given back when it turns out right,
 * so concurrent wrong attempts cannot all slip past the check before the first failure is written.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private keys(email: string, ip: string) {
    // Hashed: the counters hold no email address.
    const account = createHash('sha256').update(email).digest('hex').slice(0, 32);
    return [
      { key: `login:account-ip:${account}:${ip}`, free: this.config.AUTH_RATE_LIMIT_PER_ACCOUNT },
      { key: `login:ip:${ip}`, free: this.config.AUTH_FAILURES_PER_IP },
    ];
  }

  /**
   * Counts a sign-in attempt, or throws LoginThrottledError (with the seconds to wait) while this
   * account at this address, or this address, is held back. Follow with `succeeded` or
   * `abandoned` unless the attempt failed.
   */
  async begin(email: string, ip: string): Promise<void> {
    // One key after the other: an attempt refused for the account at this address never touches
    // the address's count, so a burst against one account cannot inflate it.
    const counted: { key: string; free: number }[] = [];
    for (const { key, free } of this.keys(email, ip)) {
      const outcome = await this.counters.attempt(key, WINDOW_MS, free, WINDOW_MS);
      if (!outcome.allowed) {
        // Held back: what was counted on the earlier key was not an attempt after all.
        await Promise.all(counted.map((done) => this.counters.release(done.key, done.free)));
        throw new LoginThrottledError(Math.max(1, Math.ceil(outcome.msToUnblock / 1000)));
      }
      counted.push({ key, free });
    }
  }

  /** The right password: this account's failures at this address are forgotten. */
  async succeeded(email: string, ip: string): Promise<void> {
    const [accountAtAddress, address] = this.keys(email, ip);
    await Promise.all([
      this.counters.reset(accountAtAddress.key),
      this.counters.release(address.key, address.free),
    ]);
  }

  /** Neither right nor wrong (the check itself failed): the attempt is given back. */
  async abandoned(email: string, ip: string): Promise<void> {
    await Promise.all(
      this.keys(email, ip).map(({ key, free }) => this.counters.release(key, free)),
    );
  }
}
