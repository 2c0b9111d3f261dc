// The realtime message and the pure helpers both ends share: no database, no server-only imports.

/**
 * One realtime message: something committed in an organization. It names what changed, never
 * the changed state itself — the database stays the only source of truth, and a receiver
 * refetches what it shows.
 */
export interface RealtimeEvent {
  /**
   * "ticket.created", "spec.approved" (an ActivityEvent's type), or an announcement:
   * "task.updated", "task.heartbeat", "run.log", "runner.updated", "runner.heartbeat", "realtime.reset".
   */
  type: string;
  orgId: string;
  /**
   * ActivityEvent.seq as a decimal string, on activity events only: their commit order within
   * the organization, and where a stream resumes. Announcements have none; what they announce
   * is refetched in full after a reconnect anyway.
   */
  seq?: string;
  projectId?: string;
  ticketId?: string;
  specId?: string;
  taskId?: string;
  runId?: string;
  runnerId?: string;
}

/** The Postgres NOTIFY channel the triggers of migration realtime_notify announce on. */
export const REALTIME_CHANNEL = "trellis_realtime";

/**
 * Sent instead of a long backlog: the receiver missed too much to replay, so it refetches
 * everything it shows. Carries the seq the stream continues after.
 */
export const RESET_EVENT_TYPE = "realtime.reset";

/** How a browser connects: server-sent events from this app, or Pusher Channels. */
export type RealtimeClientConfig =
  | { transport: "sse" }
  | {
      transport: "pusher";
      key: string;
      cluster: string;
      /** A self-hosted Pusher-compatible server (soketi); unset means Pusher's cluster. */
      wsHost?: string;
      wsPort?: number;
      forceTLS: boolean;
    };

/** True when `seq` comes after `cursor` (no cursor: everything does). */
export function seqAfter(seq: string, cursor: string | null): boolean {
  return cursor === null || BigInt(seq) > BigInt(cursor);
}

/** The Pusher channel of an organization (private: subscribing needs the auth endpoint's signature). */
export function pusherChannelName(orgId: string): string {
  return `private-org-${orgId}`;
}

/** The organization id in a channel name from pusherChannelName, or null for any other name. */
export function orgIdFromPusherChannel(channel: string): string | null {
  const match = /^private-org-([A-Za-z0-9_]+)$/.exec(channel);
  return match?.[1] ?? null;
}

/** What a listener wants to hear: type prefixes ("task." or "run.log") and/or ids that must match. */
export interface RealtimeFilter {
  type?: string | readonly string[];
  projectId?: string;
  ticketId?: string;
  specId?: string;
  taskId?: string;
  runId?: string;
}

/** Whether an event passes a filter (a predicate, or an object whose every given field must match). */
export function matchesFilter(
  event: RealtimeEvent,
  filter: RealtimeFilter | ((event: RealtimeEvent) => boolean),
): boolean {
  if (typeof filter === "function") return filter(event);
  if (filter.type !== undefined) {
    const types = typeof filter.type === "string" ? [filter.type] : filter.type;
    if (!types.some((t) => event.type === t || (t.endsWith(".") && event.type.startsWith(t))))
      return false;
  }
  const ids = ["projectId", "ticketId", "specId", "taskId", "runId"] as const;
  return ids.every((key) => filter[key] === undefined || event[key] === filter[key]);
}
