// How the timeline's loaded events combine with a fresh first page (after a live refresh) and
// with older pages (infinite scroll). Pure; events are identified by id and ordered by seq.
import type { TimelineEntry } from "@/lib/activity/timeline-entry";

export interface TimelineState {
  entries: TimelineEntry[];
  /** Where the next older page starts; null once the beginning is reached. */
  cursor: string | null;
}

function bySeqDesc(a: TimelineEntry, b: TimelineEntry): number {
  const x = BigInt(a.seq);
  const y = BigInt(b.seq);
  return x > y ? -1 : x < y ? 1 : 0;
}

function union(a: TimelineEntry[], b: TimelineEntry[]): TimelineEntry[] {
  const byId = new Map<string, TimelineEntry>();
  for (const e of [...a, ...b]) byId.set(e.id, e);
  return [...byId.values()].sort(bySeqDesc);
}

/**
 * A fresh newest page arrived. If it overlaps what is shown, the new events go
 * on top and the scroll position's cursor is kept; if it does not (more new
 * events than a page arrived at once), the newest page replaces everything, so
 * no gap is ever shown as if it were continuous history.
 */
export function withNewestPage(state: TimelineState, page: TimelineState): TimelineState {
  if (state.entries.length === 0) return page;
  const shown = new Set(state.entries.map((e) => e.id));
  const oldestOfPage = page.entries.at(-1);
  const newestShown = state.entries[0];
  const overlaps =
    page.cursor === null ||
    page.entries.some((e) => shown.has(e.id)) ||
    (oldestOfPage !== undefined &&
      newestShown !== undefined &&
      BigInt(oldestOfPage.seq) <= BigInt(newestShown.seq));
  if (!overlaps) return page;
  return { entries: union(page.entries, state.entries), cursor: state.cursor };
}

/** An older page was loaded: its events go below, and its cursor is the next one. */
export function withOlderPage(state: TimelineState, page: TimelineState): TimelineState {
  return { entries: union(state.entries, page.entries), cursor: page.cursor };
}

/** Consecutive entries under their day heading ("Today", "Yesterday", "Mon, Jan 5"). */
export function groupByDay(entries: TimelineEntry[]): { day: string; entries: TimelineEntry[] }[] {
  const days: { day: string; entries: TimelineEntry[] }[] = [];
  for (const entry of entries) {
    const last = days.at(-1);
    if (last && last.day === entry.day) last.entries.push(entry);
    else days.push({ day: entry.day, entries: [entry] });
  }
  return days;
}
