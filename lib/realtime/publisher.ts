import type { RealtimeEvent } from "./realtime-event";

/**
 * Where committed changes go out to browsers. Both transports are fed by the same
 * LISTEN/NOTIFY feed (lib/realtime/realtime-feed.ts), so nothing is published before its
 * transaction commits:
 *  - "sse": each web process fans events out to its own open event streams (sse-hub.ts);
 *  - "pusher": one worker process publishes to Pusher Channels (pusher-publisher.ts).
 */
export interface RealtimePublisher {
  readonly transport: "sse" | "pusher";
  /** Sends events in the order given. */
  publish(events: readonly RealtimeEvent[]): Promise<void>;
}
