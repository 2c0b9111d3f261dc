import type { RealtimeEvent } from "@/lib/realtime/realtime-event";

/** The browser's view of its realtime connection. */
export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

export interface ConnectOptions {
  orgSlug: string;
  orgId: string;
  /** Resume after this seq (the latest event when the page was rendered). */
  cursor: string | null;
  /** Each event once, in commit order. */
  onEvent: (event: RealtimeEvent) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** Connected again after a drop: missed activity was replayed, announcements were not. */
  onResumed: () => void;
}

/** Opens a connection; the returned function closes it. */
export type Connect = (options: ConnectOptions) => () => void;

/** A message body as a realtime event, or null for anything else. */
export function parseEvent(data: unknown): RealtimeEvent | null {
  const value = typeof data === "string" ? safeJson(data) : data;
  if (!value || typeof value !== "object") return null;
  const { type, orgId, seq } = value as Record<string, unknown>;
  if (typeof type !== "string" || typeof orgId !== "string") return null;
  if (seq !== undefined && (typeof seq !== "string" || !/^\d+$/.test(seq))) return null;
  return value as RealtimeEvent;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The organization's event stream (server-sent events, or JSON pages with `Accept: application/json`). */
export function eventsUrl(orgSlug: string, after: string | null): string {
  const base = `/api/orgs/${encodeURIComponent(orgSlug)}/events`;
  return after === null ? base : `${base}?after=${after}`;
}
