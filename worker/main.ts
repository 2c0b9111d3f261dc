// The background worker process: `npm start` runs one beside the web server; more can run
// against the same database. The pipeline fills it with DBOS (durable functions and the
// built-in agent runner). The launcher starts it with
// `node --conditions=react-server --import tsx worker/main.ts`, so domain modules marked
// `import "server-only"` can be imported here as they are in the web server.
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { functions } from "@/inngest/functions";
import { startMeterReporter } from "@/lib/billing/start-meter-reporter";
import { startCallbackDispatcher } from "@/lib/callbacks/start-callback-dispatcher";
import { db } from "@/lib/db/client";
import { env, inngestEnabled, pusherEnabled } from "@/lib/env";
import { startExecutor } from "@/lib/execution/start-executor";
import { type DbosWorker, launchDbosWorker } from "@/lib/jobs/dbos-engine";
import { childLogger } from "@/lib/logger";
import type { PgListener } from "@/lib/realtime/pg-listener";
import { createPusherPublisher } from "@/lib/realtime/pusher-publisher";
import { createPusherServer } from "@/lib/realtime/pusher-server";
import { startRealtimeRelay } from "@/lib/realtime/start-realtime-relay";
import { networkIsolation, processIsolation } from "@/lib/workspaces/run-sandboxed";

const HEARTBEAT_MS = 30_000;
const SHUTDOWN_GRACE_MS = 5_000;
// Running workflows get this long to finish on shutdown; whatever is cut off resumes from its
// last finished step when a worker starts again.
const WORKFLOW_GRACE_MS = 3_000;

const log = childLogger({ module: "worker" });

async function main(): Promise<void> {
  const url = env().DATABASE_URL;
  if (!url) {
    log.fatal("DATABASE_URL is not set; start the worker through `npm start` or set it");
    process.exitCode = 1;
    return;
  }

  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: "trellis-worker" });
  // An idle client losing its connection (e.g. Postgres restarting) must not crash the worker.
  pool.on("error", (error) => log.warn({ err: error }, "idle database connection lost"));
  await pool.query("SELECT 1");

  // With Inngest configured, Inngest calls the functions through /api/inngest instead.
  let dbos: DbosWorker | undefined;
  if (inngestEnabled()) {
    log.info("Inngest is configured; background functions run there, not in this worker");
  } else {
    dbos = await launchDbosWorker({ databaseUrl: url, functions });
  }

  // The built-in agent runner: claims tasks of approved task graphs and runs them in worktrees.
  const executor = startExecutor(db(), {
    workerId: `${os.hostname()}-${process.pid}`,
    worktreesRoot: path.resolve(env().DATA_DIR, "worktrees"),
    concurrency: env().AGENT_CONCURRENCY,
  });

  // Agent tokens of paying organizations to Stripe as metered usage (off without Stripe config).
  const meterReporter = startMeterReporter(db());

  // Realtime over Pusher: one worker (of however many) relays committed changes to Pusher.
  // Without Pusher, each web process streams them to its browsers itself (server-sent events).
  let relay: PgListener | undefined;
  const pusher = pusherEnabled() ? createPusherServer() : null;
  if (pusher) {
    const realtimeLog = childLogger({ module: "realtime" });
    relay = startRealtimeRelay({
      url,
      db: db(),
      publisher: createPusherPublisher(pusher, realtimeLog),
      log: realtimeLog,
    });
  }

  // Signed callbacks to the URLs tickets were enqueued with, from the outbox (lib/callbacks).
  const callbacks = startCallbackDispatcher(db());

  const heartbeat = setInterval(() => {
    pool.query("SELECT 1").then(
      () => log.debug({ rssMb: Math.round(process.memoryUsage.rss() / 1e6) }, "worker heartbeat"),
      (error: unknown) => log.warn({ err: error }, "worker heartbeat: database unreachable"),
    );
  }, HEARTBEAT_MS);

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "worker stopping");
    clearInterval(heartbeat);
    // Don't let a hung connection keep a stopped worker alive.
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    Promise.all([executor.stop(), meterReporter.stop(), callbacks.stop()])
      .then(() => relay?.close())
      .then(() => dbos?.shutdown({ graceMs: WORKFLOW_GRACE_MS }))
      .catch((error: unknown) => log.warn({ err: error }, "DBOS did not shut down cleanly"))
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  // The launcher runs us in our own process group, so if it is killed with SIGKILL nobody
  // signals us; being re-parented is how we notice.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop("parent process exited");
  }, 1_000).unref();

  // What confines agent and verification commands on this machine (issue: "report the mode").
  log.info(
    { sandbox: { network: await networkIsolation(), processes: await processIsolation() } },
    "worker ready",
  );
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, "worker failed to start");
  process.exit(1); // an open pool would otherwise keep a failed worker alive
});
