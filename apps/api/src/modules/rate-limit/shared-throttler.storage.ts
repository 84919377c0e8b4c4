import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitStore } from './rate-limit.repository';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage, backed by the shared counters instead of process memory: a limit of
 * 30 a minute is 30 a minute for the whole deployment, however many API replicas serve it. A key
 * over its limit stays blocked until its window ends.
 */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counters: RateLimitStore) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const state = await this.counters.increment(`throttle:${throttlerName}:${key}`, ttl);
    const timeToExpire = Math.ceil(state.msToWindowEnd / 1000);
    const isBlocked = state.hits > limit;
    return {
      totalHits: state.hits,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.max(1, timeToExpire) : 0,
    };
  }
}
