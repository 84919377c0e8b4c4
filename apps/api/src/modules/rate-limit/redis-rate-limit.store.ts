import { OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { CounterState, RateLimitStore } from './rate-limit.repository';

const PREFIX = 'mlops:rate-limit:';

/** INCR in a fixed window (the first hit sets the expiry). KEYS: counter, block marker. */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2])}`;

/** The same, plus a block marker living 2^(hits - free) seconds (capped) from the free-th on. */
const RECORD_FAILURE = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local free = tonumber(ARGV[2])
if hits >= free then
  local block = math.floor(math.min((2 ^ math.min(hits - free, 30)) * 1000, tonumber(ARGV[3])))
  redis.call('SET', KEYS[2], '1', 'PX', block)
  if redis.call('PTTL', KEYS[1]) < block then redis.call('PEXPIRE', KEYS[1], block) end
end
return {hits, redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2])}`;

const toState = ([hits, ttl, blockTtl]: [number, number, number]): CounterState => ({
  hits,
  msToWindowEnd: Math.max(0, ttl),
  msToUnblock: Math.max(0, blockTtl),
});

/**
 * The rate-limit counters in Redis (REDIS_URL), for deployments that have it: each operation is
 * one Lua script, atomic on the server. Redis being unreachable fails the request (closed), it
 * does not skip the limit.
 */
export class RedisRateLimitStore implements RateLimitStore, OnModuleDestroy {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  }

  async increment(key: string, windowMs: number): Promise<CounterState> {
    const result = await this.redis.eval(
      INCREMENT,
      2,
      PREFIX + key,
      `${PREFIX}${key}:blocked`,
      windowMs,
    );
    return toState(result as [number, number, number]);
  }

  async recordFailure(
    key: string,
    windowMs: number,
    freeHits: number,
    maxBlockMs: number,
  ): Promise<CounterState> {
    const result = await this.redis.eval(
      RECORD_FAILURE,
      2,
      PREFIX + key,
      `${PREFIX}${key}:blocked`,
      windowMs,
      freeHits,
      maxBlockMs,
    );
    return toState(result as [number, number, number]);
  }

  async msToUnblock(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const ttls = await Promise.all(keys.map((key) => this.redis.pttl(`${PREFIX}${key}:blocked`)));
    return Math.max(0, ...ttls);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(PREFIX + key, `${PREFIX}${key}:blocked`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
