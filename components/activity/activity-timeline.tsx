"use client";

import {
  Activity,
  Building2,
  FileText,
  FolderGit2,
  ListChecks,
  type LucideIcon,
  Ticket,
  Users,
} from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ActivityFamily } from "@/lib/activity/describe-activity";
import type { TimelineEntry } from "@/lib/activity/timeline-entry";
import { groupByDay, type TimelineState, withNewestPage, withOlderPage } from "./merge-timeline";

export const familyIcons: Record<ActivityFamily, LucideIcon> = {
  org: Building2,
  member: Users,
  project: FolderGit2,
  ticket: Ticket,
  spec: FileText,
  task: ListChecks,
};

/**
 * The timeline under its filters: the newest page comes from the server
 * render (and again on every live refresh); older pages load as the end of the
 * list scrolls into view, or with the "Load older activity" button.
 */
export function ActivityTimeline({
  orgSlug,
  first,
  type,
  project,
}: {
  orgSlug: string;
  first: TimelineState;
  type?: string;
  project?: string;
}) {
  const [state, setState] = useState<TimelineState>(first);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const sentinel = useRef<HTMLDivElement>(null);
  const inFlight = useRef(false);

  // A live refresh re-renders the page with the newest events: fold them in on top.
  useEffect(() => {
    setState((current) => withNewestPage(current, first));
  }, [first]);

  const loadOlder = useCallback(async () => {
    const cursor = state.cursor;
    if (!cursor || inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    setError(null);
    try {
      const search = new URLSearchParams({ cursor });
      if (type) search.set("type", type);
      if (project) search.set("project", project);
      const response = await fetch(`/${orgSlug}/activity/feed?${search}`);
      const body = (await response.json().catch(() => null)) as {
        entries?: TimelineEntry[];
        nextCursor?: string | null;
        error?: { message?: string };
      } | null;
      if (!response.ok || !body?.entries) {
        throw new Error(body?.error?.message ?? "Could not load older activity.");
      }
      const page = { entries: body.entries, cursor: body.nextCursor ?? null };
      setState((current) => withOlderPage(current, page));
      setStatus(
        page.cursor
          ? `Loaded ${page.entries.length} older events.`
          : `Loaded ${page.entries.length} older events. That is the beginning of the history.`,
      );
    } catch (thrown) {
      setError(thrown instanceof Error ? thrown.message : "Could not load older activity.");
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [orgSlug, project, state.cursor, type]);

  // Infinite scroll: load the next page a little before the end comes into view.
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !state.cursor || error) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void loadOlder();
      },
      { rootMargin: "400px 0px" },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [loadOlder, state.cursor, error]);

  const days = groupByDay(state.entries);
  return (
    <div className="grid grid-cols-1 gap-6">
      {days.map((day, i) => (
        <section
          key={`${day.day}-${day.entries[0]?.id}`}
          aria-labelledby={`activity-day-${i}`}
          className="grid grid-cols-1 gap-1"
        >
          <h2
            id={`activity-day-${i}`}
            className="font-medium text-muted-foreground text-xs uppercase tracking-wide"
          >
            {day.day}
          </h2>
          <ol className="grid grid-cols-1">
            {day.entries.map((entry) => {
              const Icon = entry.family ? familyIcons[entry.family] : Activity;
              return (
                <li
                  key={entry.id}
                  data-seq={entry.seq}
                  className="flex items-center gap-3 rounded-md px-1 py-1.5 text-dense hover:bg-muted/50"
                >
                  <span
                    aria-hidden="true"
                    className="flex size-6 shrink-0 items-center justify-center rounded-full border bg-muted text-muted-foreground"
                  >
                    <Icon className="size-3.5" />
                  </span>
                  {entry.href ? (
                    <Link
                      href={entry.href}
                      prefetch={false}
                      className="min-w-0 flex-1 wrap-anywhere rounded-sm outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
                    >
                      {entry.sentence}
                    </Link>
                  ) : (
                    <span className="min-w-0 flex-1 wrap-anywhere">{entry.sentence}</span>
                  )}
                  <time
                    dateTime={entry.at}
                    title={entry.fullTime}
                    className="shrink-0 font-mono text-muted-foreground text-xs tabular-nums"
                  >
                    {entry.time}
                  </time>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
      <div ref={sentinel} className="grid justify-items-start gap-2">
        {error ? (
          <p role="alert" className="text-destructive text-sm">
            {error}
          </p>
        ) : null}
        {state.cursor ? (
          // aria-disabled, not disabled: a disabled button drops the keyboard focus while it loads.
          <Button
            variant="outline"
            size="sm"
            onClick={() => void loadOlder()}
            aria-disabled={loading}
          >
            {loading ? "Loading…" : error ? "Try again" : "Load older activity"}
          </Button>
        ) : state.entries.length > 0 ? (
          <p className="text-muted-foreground text-xs">
            That is everything: the beginning of this history.
          </p>
        ) : null}
        <p role="status" className="sr-only">
          {status}
        </p>
      </div>
    </div>
  );
}
