import "server-only";
import type Pusher from "pusher";
import type { Log } from "@/lib/logger";
import { errorMessage } from "./error-message";
import type { RealtimePublisher } from "./publisher";
import { pusherChannelName, type RealtimeEvent } from "./realtime-event";

// Pusher's HTTP API takes at most 10 events per batch request.
const BATCH_SIZE = 10;
const ATTEMPTS = 3;

/**
 * Publishes to Pusher Channels: each event to its organization's private channel, named by its
 * type, its body the event itself. One request at a time, in order (Pusher keeps the order of
 * a channel's events as triggered), in batches of what queued up meanwhile.
 */
export function createPusherPublisher(pusher: Pusher, log: Log): RealtimePublisher {
  const queue: { event: RealtimeEvent; done: () => void }[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, BATCH_SIZE);
        await send(batch.map((item) => item.event));
        for (const item of batch) item.done();
      }
    } finally {
      draining = false;
    }
  }

  async function send(events: RealtimeEvent[]): Promise<void> {
    const batch = events.map((event) => ({
      channel: pusherChannelName(event.orgId),
      name: event.type,
      data: event,
    }));
    for (let attempt = 1; ; attempt++) {
      try {
        await pusher.triggerBatch(batch);
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) {
          // Browsers catch up from the table when they reconnect; dropping beats blocking the queue.
          log.warn(
            `realtime: Pusher refused ${events.length} event(s) after ${attempt} attempts: ${errorMessage(error)}`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  return {
    transport: "pusher",
    publish(events) {
      const sent = Promise.all(
        events.map((event) => new Promise<void>((done) => queue.push({ event, done }))),
      ).then(() => {});
      void drain();
      return sent;
    },
  };
}
