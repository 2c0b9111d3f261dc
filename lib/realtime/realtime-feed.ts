import "server-only";
import { z } from "zod";
import type { Log } from "@/lib/logger";
import { errorMessage } from "./error-message";
import { createPgListener, type PgListener } from "./pg-listener";
import type { RealtimePublisher } from "./publisher";
import { REALTIME_CHANNEL, type RealtimeEvent } from "./realtime-event";

const id = z.string().min(1).max(64).optional();
// The payload the triggers of migration realtime_notify send.
const payloadSchema = z.object({
  type: z.string().min(1).max(80),
  orgId: z.string().min(1).max(64),
  seq: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
  projectId: id,
  ticketId: id,
  specId: id,
  taskId: id,
  runId: id,
  runnerId: id,
});

/** A NOTIFY payload as a realtime event, or null when it is not one. */
export function parseNotification(payload: string): RealtimeEvent | null {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface RealtimeFeedOptions {
  url: string;
  publisher: RealtimePublisher;
  log: Log;
  /** See PgListenerOptions.onListening. */
  onListening?: (info: { reconnected: boolean }) => void;
  exclusiveLockKey?: number;
  applicationName?: string;
}

/**
 * Committed changes, as Postgres announces them (LISTEN/NOTIFY: delivered on commit, in commit
 * order, never for a rollback), handed to a publisher as they arrive.
 */
export function startRealtimeFeed(options: RealtimeFeedOptions): PgListener {
  return createPgListener({
    url: options.url,
    channel: REALTIME_CHANNEL,
    log: options.log,
    onListening: options.onListening,
    exclusiveLockKey: options.exclusiveLockKey,
    applicationName: options.applicationName,
    onNotification(payload) {
      const event = parseNotification(payload);
      if (!event) {
        options.log.warn(`realtime: ignored a malformed notification: ${payload.slice(0, 200)}`);
        return;
      }
      // Publishers keep the order of their calls (the Pusher one queues and batches).
      options.publisher.publish([event]).catch((error: unknown) => {
        options.log.warn(`realtime: publishing failed: ${errorMessage(error)}`);
      });
    },
  });
}
