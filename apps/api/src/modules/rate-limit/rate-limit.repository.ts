import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';

export interface CounterState {
  hits: number;
  /** Milliseconds until the counting window ends. */
  msToWindowEnd: number;
  /** Milliseconds until a block set on this key ends (0: not blocked). */
  msToUnblock: number;
}

export interface AttemptOutcome {
  allowed: boolean;
  /** Milliseconds until the key may try again (0 when allowed). */
  msToUnblock: number;
}

interface CounterRow {
  hits: number;
  ms_to_window_end: number;
  ms_to_unblock: number;
}

const toState = (row: CounterRow): CounterState => ({
  hits: Number(row.hits),
  msToWindowEnd: Math.max(0, Number(row.ms_to_window_end)),
  msToUnblock: Math.max(0, Number(row.ms_to_unblock)),
});

/**
 * Where rate-limit counters live: PostgreSQL by default (RateLimitRepository), Redis when
 * REDIS_URL is set (RedisRateLimitStore). Either way every API replica sees the same counts.
 */
export abstract class RateLimitStore {
  /** Counts one hit in a fixed window of `windowMs`; returns the count including this one. */
  abstract increment(key: string, windowMs: number): Promise<CounterState>;
  /**
   * One attempt at something whose failures are limited (a sign-in), atomically: refused and not
   * counted while the key is blocked; otherwise counted up front (give it back with `release`
   * when it succeeds), and from the `freeHits`-th on the key is blocked for a doubling time:
   * 1 s, then 2 s, 4 s ... up to `maxBlockMs`.
   */
  abstract attempt(
    key: string,
    windowMs: number,
    freeHits: number,
    maxBlockMs: number,
  ): Promise<AttemptOutcome>;
  /** Gives back one attempt counted by `attempt` (lifting the block it may have set). */
  abstract release(key: string, freeHits: number): Promise<void>;
  abstract reset(key: string): Promise<void>;
}

/**
 * Rate-limit counters in PostgreSQL, so every API replica sees the same counts. Each operation is
 * one statement; the increment is an atomic upsert (a row whose window ended starts again at 1),
 * so concurrent requests on any replica never lose a hit.
 */
@Injectable()
export class RateLimitRepository implements RateLimitStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Counts one hit in a fixed window of `windowMs`; returns the count including this one. */
  async increment(key: string, windowMs: number): Promise<CounterState> {
    const rows = await this.prisma.$queryRaw<CounterRow[]>`
      INSERT INTO "rate_limit_counters" AS c ("key", "hits", "window_ends_at")
      VALUES (${key}, 1, now() + ${windowMs}::int * interval '1 millisecond')
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN c."window_ends_at" <= now() THEN 1 ELSE c."hits" + 1 END,
        "window_ends_at" = CASE WHEN c."window_ends_at" <= now()
                                THEN EXCLUDED."window_ends_at" ELSE c."window_ends_at" END,
        "blocked_until" = CASE WHEN c."window_ends_at" <= now() THEN NULL ELSE c."blocked_until" END
      RETURNING "hits",
        (extract(epoch FROM "window_ends_at" - now()) * 1000)::int AS ms_to_window_end,
        COALESCE((extract(epoch FROM "blocked_until" - now()) * 1000)::int, 0) AS ms_to_unblock`;
    return toState(rows[0]);
  }

  async attempt(
    key: string,
    windowMs: number,
    freeHits: number,
    maxBlockMs: number,
  ): Promise<AttemptOutcome> {
    // One round trip; the function (see the security_hardening migration) locks the row.
    const rows = await this.prisma.$queryRaw<{ o_allowed: boolean; o_ms_to_unblock: number }[]>`
      SELECT o_allowed, o_ms_to_unblock
        FROM app_rate_limit_attempt(${key}, ${windowMs}::int, ${freeHits}::int, ${maxBlockMs}::int)`;
    return { allowed: rows[0].o_allowed, msToUnblock: Number(rows[0].o_ms_to_unblock) };
  }

  async release(key: string, freeHits: number): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "rate_limit_counters"
         SET "hits" = greatest("hits" - 1, 0),
             "blocked_until" = CASE WHEN "hits" - 1 < ${freeHits}::int THEN NULL
                                    ELSE "blocked_until" END
       WHERE "key" = ${key}`;
  }

  async reset(key: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM "rate_limit_counters" WHERE "key" = ${key}`;
  }
}
