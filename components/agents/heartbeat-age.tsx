"use client";

import { useEffect, useState } from "react";
import { cn } from "@/lib/utils/cn";

/** Past this many seconds without a heartbeat the age turns amber; past `alertAfter`, red. */
const WARN_AFTER_S = 60;
const ALERT_AFTER_S = 90;

/** "8 s", "2 min 5 s", "1 h 3 min" */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * Seconds since `since`, ticking every second in the browser. `renderedAt` is the server's
 * clock when the page was made, so the first client render matches the server's HTML; without
 * it the age shows once the browser has the clock (nothing in the server's HTML).
 * With `warn`, the age turns amber past 60 s and red past 90 s (a heartbeat's health).
 */
export function HeartbeatAge({
  since,
  renderedAt,
  warn = true,
  suffix = "",
  className,
}: {
  since: string | Date | null;
  renderedAt?: string | Date;
  warn?: boolean;
  /** e.g. " ago" */
  suffix?: string;
  className?: string;
}) {
  const start = since ? new Date(since).getTime() : null;
  const [now, setNow] = useState(() => (renderedAt ? new Date(renderedAt).getTime() : null));
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (start === null) return <span className={cn("text-muted-foreground", className)}>never</span>;
  if (now === null) return <span className={cn("font-mono tabular-nums", className)} />;
  const age = (now - start) / 1000;
  const level = !warn ? "ok" : age > ALERT_AFTER_S ? "alert" : age > WARN_AFTER_S ? "warn" : "ok";
  return (
    <span
      data-level={level}
      className={cn(
        "font-mono tabular-nums",
        level === "warn" && "text-status-attention",
        level === "alert" && "font-medium text-status-failed",
        className,
      )}
    >
      {formatAge(age)}
      {suffix}
      {level === "alert" ? (
        <span className="sr-only"> (no heartbeat: the worker may be gone)</span>
      ) : null}
    </span>
  );
}
