import "server-only";
import pg from "pg";
import { env } from "@/lib/env";
import { childLogger } from "@/lib/logger";

/**
 * Wakes long-polling runner claims when a task of their organization is queued. One LISTEN
 * connection per web process (migration task_queued_signal NOTIFYs at commit with the
 * organization id); waiters are in memory, so a lost notification only delays a claim until
 * the caller's next poll. One notification wakes one waiter, the longest waiting: waking them
 * all would have every runner of the organization race for the one new task.
 */
const log = childLogger({ module: "queue-signal" });
const waiters = new Map<string, Set<() => void>>(); // in insertion order: longest waiting first
let listening: Promise<void> | null = null;

function listen(url: string): Promise<void> {
  listening ??= (async () => {
    const client = new pg.Client({
      connectionString: url,
      application_name: "trellis-queue-signal",
    });
    client.on("notification", (message) => {
      if (message.payload) wakeOne(message.payload);
    });
    client.on("error", (error) => {
      log.warn({ err: error }, "queue signal connection lost; reconnecting on next wait");
      listening = null;
      client.end().catch(() => {});
    });
    await client.connect();
    await client.query("LISTEN trellis_task_queued");
  })().catch((error) => {
    listening = null;
    throw error;
  });
  return listening;
}

/**
 * Wakes the organization's longest-waiting claim. Called by a claim that just got a task:
 * several tasks queued in one transaction send one notification, so each successful claim
 * passes the wake on until a claim finds nothing.
 */
export function wakeOne(orgId: string): void {
  const first = waiters.get(orgId)?.values().next();
  if (first && !first.done) first.value();
}

/** Resolves when a task of `orgId` is queued, after `timeoutMs`, or when `signal` aborts. */
export async function waitForQueuedTask(
  orgId: string,
  timeoutMs: number,
  signal?: AbortSignal,
  databaseUrl = env().DATABASE_URL,
): Promise<void> {
  if (databaseUrl) await listen(databaseUrl).catch(() => {});
  await new Promise<void>((resolve) => {
    const set = waiters.get(orgId) ?? new Set();
    waiters.set(orgId, set);
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      set.delete(done);
      if (set.size === 0) waiters.delete(orgId);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal?.addEventListener("abort", done, { once: true });
    set.add(done);
  });
}
