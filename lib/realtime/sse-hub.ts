import "server-only";
import type { RealtimePublisher } from "./publisher";
import type { RealtimeEvent } from "./realtime-event";

/** One open event stream's side of the hub. */
export interface HubSubscriber {
  live(event: RealtimeEvent): void;
  /** The feed dropped and is back: events may have been missed, read them from the table. */
  resync(): void;
}

export interface SseHub extends RealtimePublisher {
  /** Receives the organization's events until the returned function is called. */
  subscribe(orgId: string, subscriber: HubSubscriber): () => void;
  resync(): void;
  /** Open subscriptions (of one organization, or all). */
  subscriberCount(orgId?: string): number;
}

/** In-memory fan-out of one web process: the feed publishes, each open stream subscribes. */
export function createSseHub(): SseHub {
  const byOrg = new Map<string, Set<HubSubscriber>>();
  return {
    transport: "sse",
    async publish(events) {
      for (const event of events) {
        for (const subscriber of byOrg.get(event.orgId) ?? []) {
          // One broken stream must not keep the event from the others.
          try {
            subscriber.live(event);
          } catch {}
        }
      }
    },
    subscribe(orgId, subscriber) {
      let set = byOrg.get(orgId);
      if (!set) {
        set = new Set();
        byOrg.set(orgId, set);
      }
      set.add(subscriber);
      return () => {
        set.delete(subscriber);
        if (set.size === 0 && byOrg.get(orgId) === set) byOrg.delete(orgId);
      };
    },
    resync() {
      for (const set of byOrg.values()) for (const subscriber of set) subscriber.resync();
    },
    subscriberCount(orgId) {
      if (orgId) return byOrg.get(orgId)?.size ?? 0;
      let total = 0;
      for (const set of byOrg.values()) total += set.size;
      return total;
    },
  };
}
