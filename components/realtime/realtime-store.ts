import type { RealtimeEvent } from "@/lib/realtime/realtime-event";
import type { ConnectionStatus } from "./connection";

const RECENT_MAX = 20;

export interface RecentEvent {
  event: RealtimeEvent;
  receivedAt: number;
}

export interface RealtimeSnapshot {
  status: ConnectionStatus;
  /** Activity received live since the page opened, newest first. */
  recent: readonly RecentEvent[];
}

/** The connection's status and recent activity, read with useSyncExternalStore. */
export function createRealtimeStore() {
  let snapshot: RealtimeSnapshot = { status: "connecting", recent: [] };
  const listeners = new Set<() => void>();
  const set = (next: RealtimeSnapshot) => {
    snapshot = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => snapshot,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    setStatus(status: ConnectionStatus) {
      if (snapshot.status !== status) set({ ...snapshot, status });
    },
    addRecent(event: RealtimeEvent) {
      const recent = [{ event, receivedAt: Date.now() }, ...snapshot.recent].slice(0, RECENT_MAX);
      set({ ...snapshot, recent });
    },
  };
}

export type RealtimeStore = ReturnType<typeof createRealtimeStore>;
