import { env } from "@/lib/env";

/**
 * Next.js calls this once when a server starts. On Node.js it warms the main pages' read queries
 * in the background (lib/warm-up/warm-queries.ts), so the first person to open a page after a
 * start or a deploy does not wait for Prisma to plan them and the pool to connect.
 */
export async function register(): Promise<void> {
  if (env().NEXT_RUNTIME !== "nodejs" || !env().DATABASE_URL) return;
  const [{ db }, { warmQueries }, { childLogger }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/warm-up/warm-queries"),
    import("@/lib/logger"),
  ]);
  const log = childLogger({ module: "warm-up" });
  const started = performance.now();
  void warmQueries(db()).then(
    (count) =>
      log.info({ queries: count, ms: Math.round(performance.now() - started) }, "queries warmed"),
    (error: unknown) => log.warn({ err: error }, "warming the queries failed"),
  );
}
