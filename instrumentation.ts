/**
 * Next.js calls this once when a server starts. On Node.js it runs the web server's start-up
 * work (lib/startup/web-server-start.ts: the billing mode's plans, then the query warm-up).
 */
export async function register(): Promise<void> {
  // The one read of process.env outside lib/env.ts, on purpose: Next replaces this literal
  // `process.env.NEXT_RUNTIME` at build time, so the Edge build of this file drops the import
  // below instead of tracing the Node-only modules behind it (Prisma, pino) and printing errors.
  // Next's documented pattern for runtime-specific code in instrumentation.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onWebServerStart } = await import("@/lib/startup/web-server-start");
    await onWebServerStart();
  }
}
