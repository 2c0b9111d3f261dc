import "server-only";
import type { Db } from "@/lib/db/client";
import { childLogger } from "@/lib/logger";
import type { Actor } from "@/lib/orgs/roles";
import { latestEventSeq } from "./latest-event-seq";
import { listEventsAfter } from "./list-events-after";
import type { RealtimeEvent } from "./realtime-event";
import type { RealtimeHub } from "./realtime-hub";
import { ResumableStream } from "./resumable-stream";

const log = childLogger({ module: "realtime" });
const HEARTBEAT_MS = 15_000;
// Every this many heartbeats the subscriber's membership is checked again.
const MEMBERSHIP_CHECK_EVERY = 4;
const READY_TIMEOUT_MS = 10_000;
// A browser that reads slower than this many messages behind is dropped; it resumes on reconnect.
const MAX_QUEUED = 5_000;
// Browsers reconnect this soon after a dropped stream (EventSource's own default is ~3 s).
const RETRY_MS = 1_000;

/** One message as a server-sent event: its seq as the event id, so the browser resumes from it. */
export function sseFrame(event: RealtimeEvent): string {
  return `${event.seq ? `id: ${event.seq}\n` : ""}data: ${JSON.stringify(event)}\n\n`;
}

/** A comment (keeps proxies from closing an idle stream) and a ping the browser can see. */
export const SSE_HEARTBEAT = ": heartbeat\nevent: ping\ndata: {}\n\n";

export interface OrgEventStreamOptions {
  db: Db;
  hub: Pick<RealtimeHub, "ready" | "subscribe" | "subscriberCount">;
  actor: Actor;
  /** Resume after this seq (Last-Event-ID); null starts at the latest committed event. */
  after: string | null;
  /** The request's signal: the stream ends when the browser goes away. */
  signal?: AbortSignal;
  heartbeatMs?: number;
}

/**
 * The organization's events as a text/event-stream body: first every activity event after
 * `after` from the table, then live ones from the hub, each exactly once and in commit order.
 * The live subscription starts before the table is read, and live events wait for that read,
 * so nothing committed in between is lost or repeated. Heartbeats every 15 s; the stream ends
 * when the browser disconnects or its user leaves the organization.
 */
export function openOrgEventStream(options: OrgEventStreamOptions): ReadableStream<Uint8Array> {
  const { db, hub, actor, signal } = options;
  const encoder = new TextEncoder();
  let stop = () => {};

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let unsubscribe = () => {};
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        log.debug(
          { orgId: actor.orgId, streams: hub.subscriberCount(actor.orgId) },
          "event stream closed",
        );
        signal?.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {}
      };
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
          return;
        }
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED) stop();
      };

      signal?.addEventListener("abort", stop);
      if (signal?.aborted) return stop();
      write(`retry: ${RETRY_MS}\n: connected\n\n`);

      try {
        await withTimeout(hub.ready(), READY_TIMEOUT_MS);
      } catch {
        return stop(); // the browser retries; by then the listener may be back
      }
      if (closed) return;

      const stream = new ResumableStream((event) => write(sseFrame(event)), options.after);
      const catchUp = () =>
        stream
          .catchUp(async (after) =>
            after === null
              ? { events: [], cursor: await latestEventSeq(db, { actor }) }
              : listEventsAfter(db, { actor, input: { after } }),
          )
          // A failed read: end the stream; the browser reconnects from its last event id.
          .catch(() => stop());
      unsubscribe = hub.subscribe(actor.orgId, {
        live: (event) => stream.live(event),
        resync: () => void catchUp(),
      });
      log.debug(
        { orgId: actor.orgId, streams: hub.subscriberCount(actor.orgId) },
        "event stream opened",
      );
      await catchUp();
      if (closed) return;

      let beats = 0;
      heartbeat = setInterval(() => {
        write(SSE_HEARTBEAT);
        if (++beats % MEMBERSHIP_CHECK_EVERY !== 0) return;
        db.membership
          .findUnique({
            where: { orgId_userId: { orgId: actor.orgId, userId: actor.userId } },
            select: { id: true },
          })
          .then((member) => {
            if (!member) stop();
          })
          .catch(() => {});
      }, options.heartbeatMs ?? HEARTBEAT_MS);
    },
    cancel() {
      stop();
    },
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
