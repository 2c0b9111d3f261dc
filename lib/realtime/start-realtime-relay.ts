import "server-only";
import type { Db } from "@/lib/db/client";
import type { Log } from "@/lib/logger";
import { errorMessage } from "./error-message";
import { realtimeEventSelect, toRealtimeEvent } from "./list-events-after";
import type { PgListener } from "./pg-listener";
import type { RealtimePublisher } from "./publisher";
import type { RealtimeEvent } from "./realtime-event";
import { startRealtimeFeed } from "./realtime-feed";

/** Session advisory lock held by the one relay that publishes (see PgListenerOptions.exclusiveLockKey). */
export const RELAY_LOCK_KEY = 72707371;
// On taking over, events this recent are published again: those committed while no relay
// listened (a restart, a failover). Browsers drop the ones they already have, by seq.
const REPLAY_WINDOW_MS = 30_000;
const REPLAY_LIMIT = 1_000;

/**
 * Relays committed changes to an external publisher (Pusher): runs in every worker, publishes
 * from exactly one (the holder of RELAY_LOCK_KEY; another takes over if it dies). NOTIFY is
 * delivered only after commit, so nothing is published before its transaction commits.
 */
export function startRealtimeRelay(options: {
  url: string;
  db: Db;
  publisher: RealtimePublisher;
  log: Log;
  replayWindowMs?: number;
}): PgListener {
  const { db, publisher, log } = options;
  // Live events wait while the recent ones are read and queued, so they go out in seq order.
  let waiting: RealtimeEvent[] | null = null;
  const gate: RealtimePublisher = {
    transport: publisher.transport,
    async publish(events) {
      if (waiting) waiting.push(...events);
      else await publisher.publish(events);
    },
  };

  async function replayRecent(): Promise<void> {
    waiting = [];
    let replayed = new Set<string>();
    try {
      const since = new Date(Date.now() - (options.replayWindowMs ?? REPLAY_WINDOW_MS));
      const rows = await db.activityEvent.findMany({
        where: { createdAt: { gte: since } },
        orderBy: { seq: "asc" },
        take: REPLAY_LIMIT,
        select: realtimeEventSelect,
      });
      const events = rows.map(toRealtimeEvent);
      replayed = new Set(events.map((event) => event.seq ?? ""));
      void publisher.publish(events).catch(() => {});
    } catch (error) {
      log.warn(`realtime: could not replay recent events: ${errorMessage(error)}`);
    } finally {
      const live = (waiting ?? []).filter((event) => !event.seq || !replayed.has(event.seq));
      waiting = null;
      void publisher.publish(live).catch(() => {});
    }
  }

  return startRealtimeFeed({
    url: options.url,
    publisher: gate,
    log,
    exclusiveLockKey: RELAY_LOCK_KEY,
    applicationName: "trellis-realtime-relay",
    onListening: () => {
      log.info(`realtime: relaying to ${publisher.transport}`);
      void replayRecent();
    },
  });
}
