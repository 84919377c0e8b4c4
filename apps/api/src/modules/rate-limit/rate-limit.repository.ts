import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@app/database';

export interface CounterState {
  hits: number;
  /** Milliseconds until the counting window ends. */
  msToWindowEnd: number;
  /** Milliseconds until a block set on this key ends (0: not blocked). */
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
   * Counts one failure and, from the `freeHits`-th on, blocks the key for a doubling time:
   * 1 s after the `freeHits`-th failure, then 2 s, 4 s ... up to `maxBlockMs`.
   */
  abstract recordFailure(
    key: string,
    windowMs: number,
    freeHits: number,
    maxBlockMs: number,
  ): Promise<CounterState>;
  /** The longest block still running on any of the keys, in milliseconds (0: none). */
  abstract msToUnblock(keys: string[]): Promise<number>;
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

  /**
   * Counts one failure and, from the `freeHits`-th on, blocks the key for a doubling time:
   * 1 s after the `freeHits`-th failure, then 2 s, 4 s ... up to `maxBlockMs`. The window is
   * stretched to cover the block, so the count survives it.
   */
  async recordFailure(
    key: string,
    windowMs: number,
    freeHits: number,
    maxBlockMs: number,
  ): Promise<CounterState> {
    const window = Prisma.sql`now() + ${windowMs}::int * interval '1 millisecond'`;
    const expired = Prisma.sql`c."window_ends_at" <= now()`;
    const hits = Prisma.sql`(CASE WHEN ${expired} THEN 1 ELSE c."hits" + 1 END)`;
    const blockUntil = (count: Prisma.Sql) =>
      Prisma.sql`(CASE WHEN ${count} >= ${freeHits}::int
        THEN now() + least(power(2, least(${count} - ${freeHits}::int, 30)) * 1000,
                           ${maxBlockMs}::int) * interval '1 millisecond' END)`;
    const rows = await this.prisma.$queryRaw<CounterRow[]>`
      INSERT INTO "rate_limit_counters" AS c ("key", "hits", "window_ends_at", "blocked_until")
      VALUES (${key}, 1, greatest(${window}, ${blockUntil(Prisma.sql`1`)}),
              ${blockUntil(Prisma.sql`1`)})
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = ${hits},
        "window_ends_at" = greatest(
          CASE WHEN ${expired} THEN EXCLUDED."window_ends_at" ELSE c."window_ends_at" END,
          ${blockUntil(hits)}),
        "blocked_until" = ${blockUntil(hits)}
      RETURNING "hits",
        (extract(epoch FROM "window_ends_at" - now()) * 1000)::int AS ms_to_window_end,
        COALESCE((extract(epoch FROM "blocked_until" - now()) * 1000)::int, 0) AS ms_to_unblock`;
    return toState(rows[0]);
  }

  /** The longest block still running on any of the keys, in milliseconds (0: none). */
  async msToUnblock(keys: string[]): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ ms: number | null }[]>`
      SELECT max((extract(epoch FROM "blocked_until" - now()) * 1000)::int) AS ms
        FROM "rate_limit_counters"
       WHERE "key" = ANY(${keys}::text[]) AND "blocked_until" > now()`;
    return Math.max(0, Number(rows[0]?.ms ?? 0));
  }

  async reset(key: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM "rate_limit_counters" WHERE "key" = ${key}`;
  }
}
