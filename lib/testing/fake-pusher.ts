// A local HTTP server that speaks the part of the Pusher Channels HTTP API the `pusher` server
// SDK uses to publish (POST /apps/:appId/events and /apps/:appId/batch_events), so the real SDK
// can be pointed at it with host/port. It checks every request's signature the way Pusher does
// (auth_key, auth_timestamp, auth_version, body_md5, auth_signature = HMAC-SHA256 of
// "POST\n<path>\n<sorted query>") and answers 401 to a bad one, recording what it accepted.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

// Pusher refuses a request whose timestamp is more than 600 s from its clock.
const MAX_SKEW_S = 600;

export interface FakePusherEvent {
  channel: string;
  name: string;
  /** The event's data as published (a JSON string), parsed. */
  data: unknown;
}

export interface FakePusher {
  host: string;
  port: number;
  appId: string;
  key: string;
  secret: string;
  /** Accepted events, one per channel, in the order received. */
  events: FakePusherEvent[];
  /** Refused requests: why. */
  rejected: string[];
  /** Resolves with the first accepted event (already received, or to come) that matches. */
  waitFor(match: (event: FakePusherEvent) => boolean, timeoutMs?: number): Promise<FakePusherEvent>;
  close(): Promise<void>;
}

export async function startFakePusher(
  app: { appId?: string; key?: string; secret?: string } = {},
): Promise<FakePusher> {
  const appId = app.appId ?? "4242";
  const key = app.key ?? "fake-pusher-key";
  const secret = app.secret ?? "fake-pusher-secret";
  const events: FakePusherEvent[] = [];
  const rejected: string[] = [];
  let waiters: {
    match: (event: FakePusherEvent) => boolean;
    resolve: (e: FakePusherEvent) => void;
  }[] = [];

  const accept = (event: FakePusherEvent) => {
    events.push(event);
    const ready = waiters.filter((w) => w.match(event));
    waiters = waiters.filter((w) => !w.match(event));
    for (const waiter of ready) waiter.resolve(event);
  };

  /** Why Pusher would refuse this request, or null when it is properly signed. */
  function refusal(method: string, url: URL, body: string): string | null {
    const params = url.searchParams;
    if (params.get("auth_key") !== key) return "unknown auth_key";
    if (params.get("auth_version") !== "1.0") return "auth_version must be 1.0";
    const timestamp = Number(params.get("auth_timestamp"));
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > MAX_SKEW_S)
      return "auth_timestamp missing or too far from now";
    if (body.length > 0 || params.has("body_md5")) {
      const md5 = createHash("md5").update(body, "utf8").digest("hex");
      if (params.get("body_md5") !== md5) return "body_md5 does not match the body";
    }
    const signed = [...params.entries()]
      .filter(([name]) => name !== "auth_signature")
      .map(([name, value]) => [name.toLowerCase(), value] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join("&");
    const expected = createHmac("sha256", secret)
      .update([method, url.pathname, signed].join("\n"))
      .digest("hex");
    const given = params.get("auth_signature") ?? "";
    const ok =
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    return ok ? null : "invalid auth_signature";
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake-pusher");
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      const route = /^\/apps\/([^/]+)\/(events|batch_events)$/.exec(url.pathname);
      if (req.method !== "POST" || !route) return send(404, { error: "Not found" });
      if (route[1] !== appId) return send(404, { error: "Unknown app" });
      const why = refusal(req.method, url, body);
      if (why) {
        rejected.push(why);
        return send(401, { error: why });
      }
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return send(400, { error: "Body is not JSON" });
      }
      const items =
        route[2] === "batch_events"
          ? ((parsed.batch as Record<string, unknown>[] | undefined) ?? [])
          : [parsed];
      if (route[2] === "batch_events" && items.length > 10) {
        return send(400, { error: "Batch too large (max 10 events)" });
      }
      for (const item of items) {
        const channels = item.channels ?? (item.channel ? [item.channel] : []);
        if (
          typeof item.name !== "string" ||
          typeof item.data !== "string" ||
          !Array.isArray(channels)
        ) {
          return send(400, { error: "Each event needs a name, string data and channels" });
        }
      }
      for (const item of items) {
        const channels = (item.channels ?? [item.channel]) as string[];
        for (const channel of channels) {
          accept({ channel, name: item.name as string, data: JSON.parse(item.data as string) });
        }
      }
      return send(200, route[2] === "batch_events" ? { batch: items.map(() => ({})) } : {});
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: "127.0.0.1",
    port,
    appId,
    key,
    secret,
    events,
    rejected,
    waitFor(match, timeoutMs = 10_000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`fake Pusher: no matching event within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
