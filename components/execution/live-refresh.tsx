"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import {
  useRealtime,
  useRealtimeEvents,
  useRealtimeStatus,
} from "@/components/realtime/realtime-provider";
import type { RealtimeFilter } from "@/lib/realtime/realtime-event";

// Only while the realtime stream is down: a slow poll, so the page still moves.
const FALLBACK_POLL_MS = 10_000;

/**
 * Keeps a page that shows work in progress current while `active`. Realtime events already
 * refresh every org page (components/realtime); this adds the log batches and heartbeats of
 * running tasks, and polls slowly (`intervalMs`, at least 10 s) only while the stream is down. `logs` narrows
 * the log batches and heartbeats that refresh the page (e.g. `{ taskId }`).
 */
export function useLiveRefresh(
  active: boolean,
  intervalMs = 2000,
  logs?: Omit<RealtimeFilter, "type">,
): void {
  const router = useRouter();
  const realtime = useRealtime();
  const status = useRealtimeStatus();
  useRealtimeEvents(active ? { ...logs, type: ["run.log", "task.heartbeat"] } : null, () =>
    realtime?.requestRefresh(),
  );
  const streamDown = status !== "live";
  useEffect(() => {
    if (!active || !streamDown) return;
    const timer = setInterval(() => router.refresh(), Math.max(intervalMs, FALLBACK_POLL_MS));
    return () => clearInterval(timer);
  }, [active, streamDown, intervalMs, router]);
}

/** Re-renders the page from the server as work in progress changes, while `active`. */
export function LiveRefresh({
  active,
  intervalMs = 2000,
  logs,
}: {
  active: boolean;
  intervalMs?: number;
  logs?: Omit<RealtimeFilter, "type">;
}) {
  useLiveRefresh(active, intervalMs, logs);
  return null;
}
