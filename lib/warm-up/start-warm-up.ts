import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { childLogger } from "@/lib/logger";
import { warmQueries } from "./warm-queries";

/**
 * Warms the main pages' read queries in the background (lib/warm-up/warm-queries.ts), so the
 * first person to open a page after a start or a deploy does not wait for Prisma to plan them
 * and the pool to connect. The web server calls it once at start, on Node.js only
 * (instrumentation.ts).
 */
export function startWarmUp(): void {
  if (!env().DATABASE_URL) return;
  const log = childLogger({ module: "warm-up" });
  const started = performance.now();
  void warmQueries(db()).then(
    (count) =>
      log.info({ queries: count, ms: Math.round(performance.now() - started) }, "queries warmed"),
    (error: unknown) => log.warn({ err: error }, "warming the queries failed"),
  );
}
