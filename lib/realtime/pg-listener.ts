import "server-only";
import pg from "pg";
import type { Log } from "@/lib/logger";
import { errorMessage } from "./error-message";

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;
const LEADER_POLL_MS = 5_000;

export interface PgListener {
  /** Resolves once the connection listens (again, after a reconnect). */
  ready(): Promise<void>;
  /** True while the connection is up and listening. */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface PgListenerOptions {
  url: string;
  channel: string;
  onNotification: (payload: string) => void;
  /**
   * Called each time the connection starts listening; `reconnected` after it had dropped
   * (notifications sent meanwhile were lost, so receivers catch up from the tables).
   */
  onListening?: (info: { reconnected: boolean }) => void;
  /**
   * Listen only while holding this session-level advisory lock (polled until free), so that one
   * process of many does the work; the lock goes with the connection if the process dies.
   */
  exclusiveLockKey?: number;
  log: Log;
  applicationName?: string;
}

/**
 * One Postgres connection that LISTENs on a channel, reconnecting with backoff when it drops.
 * A process needs one, however many subscribers it serves.
 */
export function createPgListener(options: PgListenerOptions): PgListener {
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let everListened = false;
  let retryMs = RETRY_MIN_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiters: (() => void)[] = [];

  const settle = () => {
    for (const resolve of waiters) resolve();
    waiters = [];
  };

  const schedule = (ms: number) => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), ms);
  };

  const drop = (reason: unknown, current: pg.Client) => {
    if (client !== current) return; // an older connection's late error
    client = null;
    const was = listening;
    listening = false;
    current.removeAllListeners("notification");
    current.end().catch(() => {});
    if (closed) return;
    if (was)
      options.log.warn(`realtime: LISTEN connection lost (${errorMessage(reason)}); reconnecting`);
    schedule(retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  async function connect(): Promise<void> {
    if (closed || client) return;
    const current = new pg.Client({
      connectionString: options.url,
      application_name: options.applicationName ?? "trellis-realtime",
      keepAlive: true,
    });
    client = current;
    current.on("error", (error) => drop(error, current));
    current.on("end", () => drop("connection ended", current));
    current.on("notification", (message) => {
      if (message.channel === options.channel && message.payload !== undefined)
        options.onNotification(message.payload);
    });
    try {
      await current.connect();
      if (options.exclusiveLockKey !== undefined) {
        const { rows } = await current.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock($1) AS locked",
          [options.exclusiveLockKey],
        );
        if (!rows[0]?.locked) {
          // Another process does the work; ask again later on a fresh connection.
          client = null;
          current.removeAllListeners();
          current.on("error", () => {});
          await current.end().catch(() => {});
          schedule(LEADER_POLL_MS);
          return;
        }
      }
      await current.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
    } catch (error) {
      drop(error, current);
      return;
    }
    if (client !== current) return;
    listening = true;
    retryMs = RETRY_MIN_MS;
    const reconnected = everListened;
    everListened = true;
    if (reconnected) options.log.info("realtime: listening again");
    settle();
    options.onListening?.({ reconnected });
  }

  void connect();

  return {
    ready() {
      if (listening) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      settle();
      const current = client;
      client = null;
      listening = false;
      if (current) {
        current.removeAllListeners();
        current.on("error", () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
