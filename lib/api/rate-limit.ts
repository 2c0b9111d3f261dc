import "server-only";
import type { Db } from "@/lib/db/client";

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window by the estimate (0 when refused). */
  remaining: number;
  /** Seconds until a refused caller may try again (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Counts one request against `bucket` and says whether it is within `limit` per window.
 * A sliding-window estimate over two fixed windows stored in Postgres (ApiRateLimit), so every
 * web process shares one count: the previous window's count, weighted by how much of it still
 * overlaps the sliding window, plus the current window's. One round trip per request; refused
 * requests count too, so a client that keeps hammering stays limited.
 */
export async function consumeRateLimit(
  db: Db,
  options: { bucket: string; limit: number; windowMs?: number; now?: Date },
): Promise<RateLimitResult> {
  const windowMs = options.windowMs ?? 60_000;
  const now = (options.now ?? new Date()).getTime();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const previousStart = windowStart - windowMs;
  const [row] = await db.$queryRaw<{ current: number; previous: number }[]>`
    WITH cur AS (
      INSERT INTO "ApiRateLimit" ("bucket", "windowStart", "count")
      VALUES (${options.bucket}, ${new Date(windowStart)}, 1)
      ON CONFLICT ("bucket", "windowStart") DO UPDATE SET "count" = "ApiRateLimit"."count" + 1
      RETURNING "count"
    )
    SELECT (SELECT "count" FROM cur)::int AS current,
           COALESCE((SELECT "count" FROM "ApiRateLimit"
                     WHERE "bucket" = ${options.bucket} AND "windowStart" = ${new Date(previousStart)}), 0)::int AS previous`;
  const current = row?.current ?? 1;
  const previous = row?.previous ?? 0;
  if (current === 1) {
    // A new window for this bucket: windows before the previous one no longer count.
    await db.apiRateLimit.deleteMany({
      where: { bucket: options.bucket, windowStart: { lt: new Date(previousStart) } },
    });
  }
  return evaluateWindow({
    limit: options.limit,
    windowMs,
    elapsedMs: now - windowStart,
    current,
    previous,
  });
}

/** The sliding-window decision from the two counts (pure; see consumeRateLimit). */
export function evaluateWindow(options: {
  limit: number;
  windowMs: number;
  elapsedMs: number;
  current: number;
  previous: number;
}): RateLimitResult {
  const { limit, windowMs, elapsedMs, current, previous } = options;
  const overlap = 1 - elapsedMs / windowMs;
  const estimate = previous * overlap + current;
  if (estimate <= limit) {
    return { allowed: true, limit, remaining: Math.floor(limit - estimate), retryAfterSeconds: 0 };
  }
  // When, with no further requests, the estimate falls back to the limit: still in this window
  // as the previous window's weight fades, or else part-way into the next one.
  let waitMs: number;
  if (current <= limit && previous > 0) {
    waitMs = (windowMs * (previous + current - limit)) / previous - elapsedMs;
  } else {
    waitMs = windowMs - elapsedMs + windowMs * (1 - limit / current);
  }
  return {
    allowed: false,
    limit,
    remaining: 0,
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  };
}
