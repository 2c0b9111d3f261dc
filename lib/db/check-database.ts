import "server-only";
import type { Db } from "./client";

/** Round-trips a query to Postgres; reports latency or the failure without throwing. */
export async function checkDatabase(db: Db, timeoutMs = 2000) {
  const started = performance.now();
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), timeoutMs)),
    ]);
    return { status: "up" as const, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: "down" as const,
      error: error instanceof Error ? error.message : "unreachable",
    };
  }
}
