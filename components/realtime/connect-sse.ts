import { ResumableStream } from "@/lib/realtime/resumable-stream";
import { type Connect, eventsUrl, parseEvent } from "./connection";

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;
// The server pings every 15 s; this long without a byte means the connection died silently.
const STALE_MS = 45_000;
const WATCH_MS = 5_000;

/**
 * Server-sent events from /api/orgs/[org]/events. The server replays what a reconnecting
 * stream missed (after Last-Event-ID, or ?after= when this code opens a new EventSource);
 * events are deduplicated by seq here as well. The connection is closed while the browser
 * says it is offline and reopened as soon as it is back, and replaced when it goes quiet.
 */
export const connectSse: Connect = (options) => {
  const stream = new ResumableStream(options.onEvent, options.cursor);
  let source: EventSource | null = null;
  let closed = false;
  let everOpen = false;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSeen = Date.now();

  const drop = () => {
    source?.close();
    source = null;
  };

  const open = () => {
    clearTimeout(retryTimer);
    if (closed || source) return;
    const current = new EventSource(eventsUrl(options.orgSlug, stream.cursor));
    source = current;
    lastSeen = Date.now();
    current.onopen = () => {
      lastSeen = Date.now();
      retryMs = RETRY_MIN_MS;
      options.onStatus("live");
      if (everOpen) options.onResumed();
      everOpen = true;
    };
    current.onmessage = (message) => {
      lastSeen = Date.now();
      const event = parseEvent(message.data);
      if (event) stream.live(event);
    };
    current.addEventListener("ping", () => {
      lastSeen = Date.now();
    });
    current.onerror = () => {
      if (source !== current) return;
      options.onStatus("reconnecting");
      // CONNECTING: the browser retries by itself, with Last-Event-ID. CLOSED: it gave up
      // (an error status, e.g. after the session expired); try again later from our cursor.
      if (current.readyState === EventSource.CLOSED) {
        drop();
        retryTimer = setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    };
  };

  const goOffline = () => {
    drop();
    clearTimeout(retryTimer);
    options.onStatus("offline");
  };
  const goOnline = () => {
    retryMs = RETRY_MIN_MS;
    options.onStatus("reconnecting");
    open();
  };
  const watchdog = setInterval(() => {
    if (source && Date.now() - lastSeen > STALE_MS) {
      drop();
      options.onStatus("reconnecting");
      open();
    }
  }, WATCH_MS);

  window.addEventListener("offline", goOffline);
  window.addEventListener("online", goOnline);
  if (navigator.onLine === false) options.onStatus("offline");
  else open();

  return () => {
    closed = true;
    clearInterval(watchdog);
    clearTimeout(retryTimer);
    window.removeEventListener("offline", goOffline);
    window.removeEventListener("online", goOnline);
    drop();
  };
};
