import { OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AttemptOutcome, CounterState, RateLimitStore } from './rate-limit.repository';

const PREFIX = 'mlops:rate-limit:';

/** INCR in a fixed window (the first hit sets the expiry). KEYS: counter, block marker. */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2])}`;

/**
 * One attempt: refused (not counted) while the block marker lives; otherwise counted, and from the
 * free-th on the marker lives 2^(hits - free) seconds (capped). KEYS: counter, block marker.
 */
const ATTEMPT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {0, blocked} end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local free = tonumber(ARGV[2])
if hits >= free then
  local block = math.floor(math.min((2 ^ math.min(hits - free, 30)) * 1000, tonumber(ARGV[3])))
  redis.call('SET', KEYS[2], '1', 'PX', block)
  if redis.call('PTTL', KEYS[1]) < block then redis.call('PEXPIRE', KEYS[1], block) end
end
return {1, 0}`;

/** Gives one attempt back; below the allowance again, the block goes. */
const RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local hits = redis.call('DECR', KEYS[1])
if hits < tonumber(ARGV[1]) then redis.call('DEL', KEYS[2]) end
return hits`;

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

  async attempt(
    key: string,
    windowMs: number,
    freeHits: number,
    maxBlockMs: number,
  ): Promise<AttemptOutcome> {
    const [allowed, msToUnblock] = (await this.redis.eval(
      ATTEMPT,
      2,
      PREFIX + key,
      `${PREFIX}${key}:blocked`,
      windowMs,
      freeHits,
      maxBlockMs,
    )) as [number, number];
    return { allowed: allowed === 1, msToUnblock };
  }

  async release(key: string, freeHits: number): Promise<void> {
    await this.redis.eval(RELEASE, 2, PREFIX + key, `${PREFIX}${key}:blocked`, freeHits);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(PREFIX + key, `${PREFIX}${key}:blocked`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
