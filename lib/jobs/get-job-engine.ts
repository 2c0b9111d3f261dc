// The composition root of the job port: picks the engine from the environment and gives the
// senders the function registry (inngest/functions.ts). The registry is imported lazily, on
// first send: its functions import domain modules that themselves send events, and a static
// import here would make that an import cycle.
import "server-only";
import type { Inngest } from "inngest";
import { env, inngestEnabled } from "@/lib/env";
import { createDbosSender } from "@/lib/jobs/dbos-engine";
import { createInngestClient, createInngestSender } from "@/lib/jobs/inngest-engine";
import type { AnyJobFunction, JobEngine } from "@/lib/jobs/port";
import { childLogger } from "@/lib/logger";

// Kept on globalThis so that Next's dev-mode module reloads don't open a new DBOS client each.
const cache = globalThis as unknown as { trellisJobEngine?: JobEngine; trellisInngest?: Inngest };
let injected: JobEngine | undefined;

/**
 * Replaces the engine every sender gets (tests, scripts); `undefined` restores the choice by
 * environment.
 */
export function setJobEngine(engine: JobEngine | undefined): void {
  injected = engine;
}

async function loadFunctions(): Promise<readonly AnyJobFunction[]> {
  const { functions } = await import("@/inngest/functions");
  return functions;
}

/** The Inngest client for this app, built from INNGEST_* settings. */
export function getInngestClient(): Inngest {
  if (cache.trellisInngest) return cache.trellisInngest;
  const e = env();
  cache.trellisInngest = createInngestClient({
    eventKey: e.INNGEST_EVENT_KEY,
    signingKey: e.INNGEST_SIGNING_KEY,
    dev: e.INNGEST_DEV,
    baseUrl: e.INNGEST_BASE_URL,
    logger: childLogger({ module: "inngest" }),
  });
  return cache.trellisInngest;
}

/**
 * Where to send background-function events: Inngest when configured, else DBOS (enqueued
 * through a DBOS client that connects on first send; the worker process runs the functions).
 */
export function getJobEngine(): JobEngine {
  if (injected) return injected;
  if (cache.trellisJobEngine) return cache.trellisJobEngine;
  if (inngestEnabled()) {
    cache.trellisJobEngine = createInngestSender({
      client: getInngestClient(),
      functions: loadFunctions,
    });
  } else {
    const databaseUrl = env().DATABASE_URL;
    if (!databaseUrl) {
      throw new Error(
        "DATABASE_URL is not set. Start Trellis with `npm start` (it starts an embedded Postgres) or set DATABASE_URL.",
      );
    }
    cache.trellisJobEngine = createDbosSender({ databaseUrl, functions: loadFunctions });
  }
  return cache.trellisJobEngine;
}
