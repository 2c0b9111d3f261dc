"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type * as React from "react";
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  useTransition,
} from "react";
import {
  matchesFilter,
  RESET_EVENT_TYPE,
  type RealtimeClientConfig,
  type RealtimeEvent,
  type RealtimeFilter,
} from "@/lib/realtime/realtime-event";
import { pusherConnector } from "./connect-pusher";
import { connectSse } from "./connect-sse";
import type { ConnectionStatus } from "./connection";
import { createRealtimeStore, type RealtimeSnapshot, type RealtimeStore } from "./realtime-store";
import { createRefreshScheduler } from "./refresh-scheduler";

// Bursts of events (a task graph approved, a batch claimed) become one refresh.
const REFRESH_DELAY_MS = 150;
// A refresh that never reports back (a navigation replaced it) stops holding the next one.
const REFRESH_SETTLE_TIMEOUT_MS = 5_000;
/**
 * Announcements only the components that show them listen for (useRealtimeEvents), rather
 * than refreshing every page: log batches (every ~2 s per running task) and heartbeats.
 */
export function isListenerOnly(type: string): boolean {
  return type === "run.log" || type.endsWith(".heartbeat");
}
/** Dispatched on window for each realtime event (detail: the RealtimeEvent). */
export const WINDOW_EVENT = "trellis:realtime";

/**
 * The root of every organization-scoped TanStack Query key (["org", slug, ...feature keys]):
 * each realtime message invalidates it, so such queries refetch while they are shown.
 */
export function orgQueryKey(orgSlug: string) {
  return ["org", orgSlug] as const;
}

type Listener = (event: RealtimeEvent) => void;

interface RealtimeApi {
  orgSlug: string;
  store: RealtimeStore;
  subscribe(listener: Listener): () => void;
  /**
   * Re-renders the page from the server (and refetches org queries) shortly: once per burst,
   * never two at a time (components/realtime/refresh-scheduler.ts).
   */
  requestRefresh(): void;
}

const RealtimeContext = createContext<RealtimeApi | null>(null);

/**
 * Keeps the organization's pages live: subscribes to its event stream (server-sent events, or
 * Pusher when the server says so) and on each message invalidates the org's TanStack Query keys
 * and refreshes the server-rendered page. The database stays the source of truth: messages
 * only say what changed. Mounted once by the org layout.
 */
export function RealtimeProvider({
  orgSlug,
  orgId,
  config,
  initialSeq,
  children,
}: {
  orgSlug: string;
  orgId: string;
  config: RealtimeClientConfig;
  /** The organization's latest event seq when the layout rendered: the stream starts after it. */
  initialSeq: string | null;
  children: React.ReactNode;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  // Pending from a refresh's start until the server's new render has committed.
  const [refreshing, startRefresh] = useTransition();
  const latest = useRef({ router, queryClient, startRefresh });
  latest.current = { router, queryClient, startRefresh };
  // Where a new connection resumes: the render's seq at first, then the last event received.
  const cursor = useRef(initialSeq);

  const [listeners] = useState(() => new Set<Listener>());
  const [scheduler] = useState(() =>
    createRefreshScheduler({
      delayMs: REFRESH_DELAY_MS,
      settleTimeoutMs: REFRESH_SETTLE_TIMEOUT_MS,
      // A hidden tab catches up once, when it is shown again (see the effect below).
      canRun: () => document.visibilityState !== "hidden",
      refresh() {
        const { router: current, queryClient: client, startRefresh: start } = latest.current;
        start(() => current.refresh());
        void client.invalidateQueries({ queryKey: orgQueryKey(orgSlug) });
      },
    }),
  );
  const [api] = useState<RealtimeApi>(() => ({
    orgSlug,
    store: createRealtimeStore(),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    requestRefresh: scheduler.request,
  }));

  useEffect(() => {
    if (!refreshing) scheduler.settled();
  }, [refreshing, scheduler]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible") scheduler.resume();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      scheduler.dispose();
    };
  }, [scheduler]);

  const configKey = JSON.stringify(config);
  useEffect(() => {
    const parsed = JSON.parse(configKey) as RealtimeClientConfig;
    const connect = parsed.transport === "pusher" ? pusherConnector(parsed) : connectSse;
    const close = connect({
      orgSlug,
      orgId,
      cursor: cursor.current,
      onEvent(event) {
        if (event.seq) cursor.current = event.seq;
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            console.error("realtime listener failed", error);
          }
        }
        // For code outside React (and bench/realtime.ts): the same events on window.
        window.dispatchEvent(new CustomEvent(WINDOW_EVENT, { detail: event }));
        if (!isListenerOnly(event.type)) api.requestRefresh();
        if (event.seq && event.type !== RESET_EVENT_TYPE) api.store.addRecent(event);
      },
      onStatus: (status) => api.store.setStatus(status),
      onResumed: () => api.requestRefresh(),
    });
    return () => {
      close();
      api.store.setStatus("connecting");
    };
  }, [api, listeners, configKey, orgSlug, orgId]);

  return <RealtimeContext.Provider value={api}>{children}</RealtimeContext.Provider>;
}

/** The realtime connection of the current organization, or null outside one. */
export function useRealtime(): RealtimeApi | null {
  return useContext(RealtimeContext);
}

const offline: RealtimeSnapshot = { status: "offline", recent: [] };
const noStore = () => () => {};

/** The connection's status and the activity received live ("offline" outside a provider). */
export function useRealtimeSnapshot(): RealtimeSnapshot {
  const api = useRealtime();
  return useSyncExternalStore(
    api ? api.store.subscribe : noStore,
    () => (api ? api.store.get() : offline),
    () => (api ? api.store.get() : offline),
  );
}

export function useRealtimeStatus(): ConnectionStatus {
  return useRealtimeSnapshot().status;
}

/**
 * Calls `handler` for each realtime event that passes `filter` (type prefixes such as "task."
 * or "run.log", ids, or a predicate); a null filter listens to nothing. E.g. a log tail:
 * `useRealtimeEvents({ type: "run.log", taskId }, () => refetch())`.
 */
export function useRealtimeEvents(
  filter: RealtimeFilter | ((event: RealtimeEvent) => boolean) | null,
  handler: (event: RealtimeEvent) => void,
): void {
  const api = useRealtime();
  const latest = useRef({ filter, handler });
  latest.current = { filter, handler };
  const enabled = filter !== null;
  useEffect(() => {
    if (!api || !enabled) return;
    return api.subscribe((event) => {
      const { filter: current, handler: handle } = latest.current;
      if (current && matchesFilter(event, current)) handle(event);
    });
  }, [api, enabled]);
}
