import type Pusher from "pusher-js";
import { pusherChannelName, type RealtimeClientConfig } from "@/lib/realtime/realtime-event";
import { type CatchUpPage, ResumableStream } from "@/lib/realtime/resumable-stream";
import { type Connect, eventsUrl, parseEvent } from "./connection";

const CATCH_UP_RETRY_MS = 2_000;

/**
 * Pusher Channels: the organization's private channel, authorised by
 * /api/realtime/pusher/auth. Pusher does not replay what a dropped connection missed, so each
 * (re)subscription first reads the events after our cursor from /api/orgs/[org]/events; live
 * events wait for that read and are deduplicated by seq.
 */
export function pusherConnector(
  config: Extract<RealtimeClientConfig, { transport: "pusher" }>,
): Connect {
  return (options) => {
    const stream = new ResumableStream(options.onEvent, options.cursor);
    let closed = false;
    let client: Pusher | null = null;
    let everSubscribed = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const read = async (after: string | null): Promise<CatchUpPage> => {
      if (after === null) return { events: [] };
      const response = await fetch(eventsUrl(options.orgSlug, after), {
        headers: { accept: "application/json" },
        cache: "no-store",
      });
      if (!response.ok) throw new Error(`catch-up failed: HTTP ${response.status}`);
      const page = (await response.json()) as { events?: unknown[]; cursor?: string };
      const events = (page.events ?? []).map(parseEvent).filter((event) => event !== null);
      return { events, cursor: page.cursor ?? null };
    };
    const catchUp = () => {
      clearTimeout(retryTimer);
      stream.catchUp(read).catch(() => {
        if (!closed) retryTimer = setTimeout(catchUp, CATCH_UP_RETRY_MS);
      });
    };

    void import("pusher-js").then(({ default: PusherClient }) => {
      if (closed) return;
      client = new PusherClient(config.key, {
        cluster: config.cluster,
        forceTLS: config.forceTLS,
        ...(config.wsHost
          ? {
              wsHost: config.wsHost,
              wsPort: config.wsPort,
              wssPort: config.wsPort,
              enabledTransports: ["ws", "wss"],
            }
          : {}),
        channelAuthorization: { endpoint: "/api/realtime/pusher/auth", transport: "ajax" },
      });
      const channel = client.subscribe(pusherChannelName(options.orgId));
      channel.bind("pusher:subscription_succeeded", () => {
        options.onStatus("live");
        if (everSubscribed) options.onResumed();
        everSubscribed = true;
        catchUp();
      });
      channel.bind("pusher:subscription_error", () => options.onStatus("offline"));
      channel.bind_global((name: string, data: unknown) => {
        if (name.startsWith("pusher:")) return;
        const event = parseEvent(data);
        if (event) stream.live(event);
      });
      client.connection.bind("state_change", (states: { current: string }) => {
        if (states.current === "connected") return; // "live" once the channel is subscribed
        options.onStatus(
          states.current === "connecting" || states.current === "unavailable"
            ? "reconnecting"
            : states.current === "initialized"
              ? "connecting"
              : "offline",
        );
      });
    });

    return () => {
      closed = true;
      clearTimeout(retryTimer);
      client?.disconnect();
    };
  };
}
