import "server-only";
import Pusher from "pusher";
import { type Env, env } from "@/lib/env";

type PusherEnv = Pick<
  Env,
  | "PUSHER_APP_ID"
  | "PUSHER_KEY"
  | "PUSHER_SECRET"
  | "PUSHER_CLUSTER"
  | "PUSHER_HOST"
  | "PUSHER_PORT"
  | "PUSHER_USE_TLS"
>;

/** The Pusher server SDK for the configured app, or null when realtime runs on SSE. */
export function createPusherServer(e: PusherEnv = env()): Pusher | null {
  if (!e.PUSHER_APP_ID || !e.PUSHER_KEY || !e.PUSHER_SECRET || !e.PUSHER_CLUSTER) return null;
  const base = {
    appId: e.PUSHER_APP_ID,
    key: e.PUSHER_KEY,
    secret: e.PUSHER_SECRET,
    useTLS: e.PUSHER_USE_TLS,
    timeout: 10_000,
  };
  return e.PUSHER_HOST
    ? new Pusher({
        ...base,
        host: e.PUSHER_HOST,
        ...(e.PUSHER_PORT ? { port: String(e.PUSHER_PORT) } : {}),
      })
    : new Pusher({ ...base, cluster: e.PUSHER_CLUSTER });
}
