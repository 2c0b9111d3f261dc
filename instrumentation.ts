/**
 * Next.js calls this once when a server starts. On Node.js it warms the main pages' read queries
 * in the background (lib/warm-up/start-warm-up.ts).
 */
export async function register(): Promise<void> {
  // The one read of process.env outside lib/env.ts, on purpose: Next replaces this literal
  // `process.env.NEXT_RUNTIME` at build time, so the Edge build of this file drops the import
  // below instead of tracing the Node-only modules behind it (Prisma, pino) and printing errors.
  // Next's documented pattern for runtime-specific code in instrumentation.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startWarmUp } = await import("@/lib/warm-up/start-warm-up");
    startWarmUp();
  }
}
