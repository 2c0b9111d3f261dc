import "server-only";
import { env, pusherEnabled } from "@/lib/env";
import type { RealtimeClientConfig } from "./realtime-event";

/** What the browser needs to connect (no secret in it). */
export function realtimeClientConfig(): RealtimeClientConfig {
  if (!pusherEnabled()) return { transport: "sse" };
  const e = env();
  return {
    transport: "pusher",
    key: e.PUSHER_KEY ?? "",
    cluster: e.PUSHER_CLUSTER ?? "",
    ...(e.PUSHER_HOST ? { wsHost: e.PUSHER_HOST } : {}),
    ...(e.PUSHER_PORT ? { wsPort: e.PUSHER_PORT } : {}),
    forceTLS: e.PUSHER_USE_TLS,
  };
}
