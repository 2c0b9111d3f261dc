import "server-only";
import { env } from "@/lib/env";
import { childLogger } from "@/lib/logger";
import type { PgListener } from "./pg-listener";
import { startRealtimeFeed } from "./realtime-feed";
import { createSseHub, type SseHub } from "./sse-hub";

export interface RealtimeHub extends SseHub {
  /** Resolves once the process listens for changes (see PgListener.ready). */
  ready(): Promise<void>;
  /** True while its LISTEN connection is up. */
  listening(): boolean;
  close(): Promise<void>;
}

/**
 * A hub fed by its own LISTEN connection: one per web process, however many browsers it
 * serves. When the connection comes back after a drop, every stream catches up from the table.
 */
export function startRealtimeHub(url: string): RealtimeHub {
  const hub = createSseHub();
  const listener: PgListener = startRealtimeFeed({
    url,
    publisher: hub,
    log: childLogger({ module: "realtime" }),
    applicationName: "trellis-realtime-web",
    onListening: ({ reconnected }) => {
      if (reconnected) hub.resync();
    },
  });
  return {
    ...hub,
    ready: () => listener.ready(),
    listening: () => listener.listening,
    close: () => listener.close(),
  };
}

// On globalThis so that a dev server's module reloads reuse the one connection.
const globalForHub = globalThis as unknown as { trellisRealtimeHub?: RealtimeHub };

/** This process's hub, started on first use against DATABASE_URL. */
export function realtimeHub(): RealtimeHub {
  if (globalForHub.trellisRealtimeHub) return globalForHub.trellisRealtimeHub;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set; realtime needs the database.");
  globalForHub.trellisRealtimeHub = startRealtimeHub(url);
  return globalForHub.trellisRealtimeHub;
}

/** Test hook: stop this process's hub (the next realtimeHub() starts a new one). */
export async function stopRealtimeHubForTests(): Promise<void> {
  const hub = globalForHub.trellisRealtimeHub;
  globalForHub.trellisRealtimeHub = undefined;
  await hub?.close();
}
