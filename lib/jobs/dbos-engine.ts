// The default engine: DBOS Transact (@dbos-inc/dbos-sdk 5.x). The worker process runs the
// functions (launchDbosWorker); the web side and CLIs enqueue through a DBOSClient
// (createDbosSender). DBOS cannot be bundled, so next.config.ts lists it in
// serverExternalPackages and only server code reaches this module.
//
// How a JobFunction maps onto DBOS:
// - The function is a DBOS workflow named after its id, and each `step.run(id, fn)` is a DBOS
//   step named `id`. DBOS memoises steps by call order within a workflow and checks the recorded
//   name at each position on replay (DBOSUnexpectedStepError when the order changed), which is
//   why step order must be deterministic.
// - Each function has a DBOS queue of the same name. A `concurrency` key makes it a partitioned
//   queue (partitionConcurrency = limit); the sender passes key(data) as the partition key, so
//   the limit holds per key (per organization) across every worker.
// - The event id becomes the workflow id (`<function id>:<event id>`); DBOS starts one workflow
//   per id, so sending the same event twice starts one run.
// - Retries: a failing step is retried by DBOS (maxAttempts = retries + 1, exponential backoff,
//   never for PermanentJobError). An error thrown outside any step re-runs the handler, after a
//   durable DBOS.sleep, with finished steps answered from their stored results.
// - The system tables live in the schema `dbos` of the application database (DATABASE_URL, or
//   the embedded Postgres), beside Prisma's `public` schema: nothing to provision, and one
//   backup holds both. Prisma ignores schemas that schema.prisma does not list.
import "server-only";
import { randomUUID } from "node:crypto";
import { DBOS, DBOSClient, Error as DBOSErrors, type DLogger } from "@dbos-inc/dbos-sdk";
import pg from "pg";
import type { Logger } from "pino";
import {
  type AnyJobFunction,
  assertUniqueIds,
  DEFAULT_RETRIES,
  functionsForEvent,
  isPermanentJobError,
  type JobEngine,
  type JobEvent,
  type JobRegistry,
  lazyRegistry,
  type StepTools,
  toJson,
} from "@/lib/jobs/port";
import { childLogger } from "@/lib/logger";

/** DBOS application name: scopes our workflows and queues in the system database. */
export const DBOS_APP_NAME = "trellis";
/**
 * DBOS application version. DBOS would hash the workflow functions' source, but ours are all
 * the same wrapper, so the hash would only change with their number — and a worker recovers only
 * the unfinished workflows of its own version, so adding a function would strand runs in flight.
 * A fixed version lets a new deploy finish them; step names are checked on replay, so a changed
 * step sequence fails loudly (DBOSUnexpectedStepError) instead of mixing results. Bump it to
 * deliberately leave old runs unrecovered.
 */
export const DBOS_APP_VERSION = "trellis-1";
/** Postgres schema holding DBOS' system tables, in the application database. */
export const DBOS_SYSTEM_SCHEMA = "dbos";
/** ARCHITECTURE: 30–50 ms enqueue-to-start at 50 ms, up to ~900 ms at DBOS' default 1000 ms. */
export const DEFAULT_QUEUE_POLLING_MS = 50;
/** First retry after this long, doubling each time. */
export const DEFAULT_RETRY_DELAY_MS = 1_000;
const ACTIVE_STATUSES = new Set(["PENDING", "ENQUEUED", "DELAYED"]);
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000; // DBOS caps step retry intervals at one hour too
// Serialises DBOS system-schema migrations between the web process and workers (DBOS' own
// migration runner takes no lock). Any constant works; Prisma's lock is 72707369.
const MIGRATION_LOCK_KEY = 72_707_370;
// DBOS' own default (DEFAULT_IDLE_TRANSACTION_TIMEOUT_MS), set through the URL: see withIdleTransactionTimeout.
const IDLE_TRANSACTION_TIMEOUT_MS = 60_000;

/** The DBOS workflow id of the run `functionId` makes for the event `eventId`. */
export function dbosWorkflowId(functionId: string, eventId: string): string {
  return `${functionId}:${eventId}`;
}

/**
 * Create or upgrade DBOS' system schema, under an advisory lock so that a web process and
 * workers starting together don't race. Idempotent and cheap when the schema is current.
 */
export async function migrateDbosSystemDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "trellis-dbos" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await DBOS.migrate(databaseUrl, { schemaName: DBOS_SYSTEM_SCHEMA });
  } finally {
    // Ending the session releases the lock too; unlock explicitly for pooled proxies.
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** Route DBOS' internal logging into our pino logger (instead of its console logger). */
function toDbosLogger(log: Logger): DLogger {
  const emit =
    (level: "debug" | "info" | "warn" | "error") =>
    (entry: unknown): void => {
      if (entry instanceof Error) log[level]({ err: entry }, entry.message);
      else if (typeof entry === "string") log[level](entry);
      else log[level]({ entry }, "dbos");
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export interface DbosWorkerOptions {
  databaseUrl: string;
  functions: readonly AnyJobFunction[];
  /**
   * DBOS executor id (default "local"). At startup a worker recovers the unfinished workflows
   * recorded under its executor id, so a restarted worker finishes what it was doing. With
   * several workers on one database give each a stable id of its own; with one shared id each
   * starting worker also re-enqueues workflows its peers are still running.
   */
  executorId?: string;
  /** Delay before the first retry; doubles on each further retry. */
  retryDelayMs?: number;
  /** Queue polling interval: enqueue-to-start latency against idle database load. */
  queuePollingMs?: number;
  logger?: Logger;
}

export interface DbosWorker {
  /** Stop dequeuing, wait up to `graceMs` for running workflows, then disconnect. */
  shutdown(options?: { graceMs?: number }): Promise<void>;
}

let launched = false;

/**
 * Run `functions` in this process: register each as a DBOS workflow, launch DBOS (which
 * recovers this executor's unfinished workflows) and register one queue per function. DBOS is
 * process-global, so one launch per process.
 */
export async function launchDbosWorker(options: DbosWorkerOptions): Promise<DbosWorker> {
  if (launched) throw new Error("DBOS is already launched in this process");
  assertUniqueIds(options.functions);
  launched = true;
  const log = options.logger ?? childLogger({ module: "dbos" });
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  try {
    await migrateDbosSystemDatabase(options.databaseUrl);
    // Workflows must be registered before launch so that recovery can find them.
    for (const fn of options.functions) registerJobWorkflow(fn, retryDelayMs);
    DBOS.setConfig({
      name: DBOS_APP_NAME,
      systemDatabaseUrl: withIdleTransactionTimeout(options.databaseUrl),
      systemDatabaseSchemaName: DBOS_SYSTEM_SCHEMA,
      runMigrations: false, // done above, under our lock
      executorID: options.executorId,
      applicationVersion: DBOS_APP_VERSION,
      logger: toDbosLogger(log),
    });
    await DBOS.launch();
    // DBOS 5.x: queues are rows in the system database, registered after launch.
    for (const fn of options.functions) {
      await DBOS.registerQueue(fn.config.id, {
        minPollingIntervalMs: options.queuePollingMs ?? DEFAULT_QUEUE_POLLING_MS,
        ...(fn.config.concurrency ? { partitionConcurrency: fn.config.concurrency.limit } : {}),
      });
    }
  } catch (error) {
    launched = false;
    await DBOS.shutdown({ deregister: true }).catch(() => {});
    throw error;
  }
  log.info({ functions: options.functions.map((fn) => fn.config.id) }, "dbos worker launched");
  return {
    shutdown: async ({ graceMs = 0 } = {}) => {
      await DBOS.shutdown(graceMs > 0 ? { workflowCompletionTimeoutMS: graceMs } : undefined);
      launched = false;
    },
  };
}

function registerJobWorkflow(fn: AnyJobFunction, retryDelayMs: number): void {
  const retries = fn.config.retries ?? DEFAULT_RETRIES;
  DBOS.registerWorkflow(
    async (event: JobEvent<unknown>) => runJobFunction(fn, event, retries, retryDelayMs),
    { name: fn.config.id },
  );
}

/** The body of every job workflow. Runs again from the top on recovery; steps replay. */
async function runJobFunction(
  fn: AnyJobFunction,
  event: JobEvent<unknown>,
  retries: number,
  retryDelayMs: number,
): Promise<unknown> {
  // Steps finished in an earlier handler attempt of this run answer from here, so re-running the
  // handler after an error outside any step does not run them again. On recovery this map is
  // rebuilt by the replay, deterministically.
  const finished = new Map<string, unknown>();
  // Errors that come out of step.run: the step already used its retries (or the error is
  // permanent), so they fail the run rather than re-running the handler.
  const stepFailures = new WeakSet<object>();
  let usedThisAttempt = new Set<string>();

  const step: StepTools = {
    run: async <T>(id: string, body: () => Promise<T>): Promise<T> => {
      if (usedThisAttempt.has(id)) {
        throw new Error(
          `Job function "${fn.config.id}" ran step "${id}" twice; step ids are unique`,
        );
      }
      usedThisAttempt.add(id);
      if (finished.has(id)) return finished.get(id) as T;
      try {
        const result = await DBOS.runStep(async () => toJson(await body()), {
          name: id,
          retriesAllowed: retries > 0,
          maxAttempts: retries + 1,
          intervalSeconds: retryDelayMs / 1000,
          backoffRate: 2,
          shouldRetry: (error: unknown) => !isPermanentJobError(error),
        });
        finished.set(id, result);
        return result;
      } catch (error) {
        if (typeof error === "object" && error !== null) stepFailures.add(error);
        throw error;
      }
    },
  };

  for (let attempt = 0; ; attempt++) {
    usedThisAttempt = new Set();
    try {
      return toJson(await fn.handler({ event, step, attempt }));
    } catch (error) {
      const retryable =
        attempt < retries &&
        !isPermanentJobError(error) &&
        !(error instanceof DBOSErrors.DBOSError) && // cancellation, non-determinism, lost ownership
        !(typeof error === "object" && error !== null && stepFailures.has(error));
      if (!retryable) throw error;
      await DBOS.sleep(Math.min(retryDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS));
    }
  }
}

export interface DbosSenderOptions {
  databaseUrl: string;
  /** The registry, or a loader for it (imported lazily to keep import cycles out). */
  functions: JobRegistry;
  logger?: Logger;
}

export interface DbosSender extends JobEngine {
  readonly name: "dbos";
  /** Wait for a run to finish and return its result (throws the run's error). */
  getResult<T = unknown>(
    runId: string,
    options?: { timeoutMs?: number; pollingIntervalMs?: number },
  ): Promise<T>;
  /** Close the client's connections. */
  close(): Promise<void>;
}

/**
 * DBOS' system database connections end transactions left idle for a minute. Said in the URL
 * (a startup option), DBOS leaves it at that; otherwise it queues a SET on every new pool
 * connection ahead of the borrower's query, which pg warns about on the worker's start
 * ("DeprecationWarning: Calling client.query() when the client is already executing a query").
 */
function withIdleTransactionTimeout(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const options = url.searchParams.get("options") ?? "";
  if (options.includes("idle_in_transaction_session_timeout")) return databaseUrl;
  url.searchParams.set(
    "options",
    `${options} -c idle_in_transaction_session_timeout=${IDLE_TRANSACTION_TIMEOUT_MS}`.trim(),
  );
  return url.toString();
}

/**
 * The sending side for web servers, CLIs and tests: enqueues runs through a DBOSClient, which
 * connects (and makes sure DBOS' schema exists) on first use. Runs enqueued while no worker is
 * up start when one launches.
 */
export function createDbosSender(options: DbosSenderOptions): DbosSender {
  const log = options.logger ?? childLogger({ module: "dbos-client" });
  let client: Promise<DBOSClient> | undefined;

  const getClient = (): Promise<DBOSClient> => {
    client ??= (async () => {
      await migrateDbosSystemDatabase(options.databaseUrl);
      return DBOSClient.create({
        systemDatabaseUrl: withIdleTransactionTimeout(options.databaseUrl),
        systemDatabaseSchemaName: DBOS_SYSTEM_SCHEMA,
        applicationName: DBOS_APP_NAME,
        systemDatabasePoolSize: 4,
        logger: toDbosLogger(log),
      });
    })();
    client.catch(() => {
      client = undefined; // try again on the next call (e.g. the database was still starting)
    });
    return client;
  };
  const getFunctions = lazyRegistry(options.functions);

  return {
    name: "dbos",
    async send<D>(event: JobEvent<D>) {
      const targets = functionsForEvent(await getFunctions(), event.name);
      if (targets.length === 0) {
        throw new Error(`No job function is subscribed to the event "${event.name}"`);
      }
      const eventId = event.id ?? randomUUID();
      const payload: JobEvent<unknown> = {
        name: event.name,
        data: toJson(event.data),
        id: eventId,
      };
      const dbos = await getClient();
      const runIds: string[] = [];
      for (const fn of targets) {
        const workflowID = dbosWorkflowId(fn.config.id, eventId);
        const partitionKey = fn.config.concurrency?.key(event.data);
        if (partitionKey === "") {
          throw new Error(`Job function "${fn.config.id}": empty concurrency key for ${eventId}`);
        }
        // Same workflowID again: DBOS returns the existing run ('return-existing' policy).
        await dbos.enqueue<(event: JobEvent<unknown>) => Promise<unknown>>(
          {
            queueName: fn.config.id,
            workflowName: fn.config.id,
            workflowID,
            ...(partitionKey === undefined ? {} : { queuePartitionKey: partitionKey }),
          },
          payload,
        );
        runIds.push(workflowID);
      }
      return { runId: runIds[0]! };
    },
    async getResult<T>(runId: string, { timeoutMs = 60_000, pollingIntervalMs = 100 } = {}) {
      const dbos = await getClient();
      const handle = dbos.retrieveWorkflow<T>(runId);
      // The handle's getResult has no timeout of its own: wait for a final status first.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await handle.getStatus();
        if (status && !ACTIVE_STATUSES.has(status.status)) break;
        if (Date.now() >= deadline) {
          throw new Error(`Run ${runId} did not finish within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs));
      }
      return handle.getResult({ pollingIntervalMs });
    },
    async close() {
      const current = client;
      client = undefined;
      if (current) await (await current).destroy();
    },
  };
}
