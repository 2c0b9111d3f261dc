// One activity event as the timeline shows it: sentence, family (for the icon), link, and day
// and time labels. Pure; the page and the feed route both build entries here, on the server, so
// every page of the infinite scroll is worded and dated the same way.
import {
  type ActivityFamily,
  activityDayLabel,
  activityFamily,
  type DescribableActivity,
  describeActivity,
} from "./describe-activity";

export interface TimelineEntry {
  id: string;
  /** Commit-order position, as a decimal string (the next page's cursor). */
  seq: string;
  type: string;
  family: ActivityFamily | null;
  sentence: string;
  /** The page the event is about (task, spec, ticket or project), if it still exists. */
  href: string | null;
  /** ISO instant, for <time dateTime>. */
  at: string;
  day: string;
  time: string;
  fullTime: string;
}

export type TimelineSource = DescribableActivity & {
  id: string;
  seq: bigint;
  createdAt: Date;
  taskId: string | null;
  specId: string | null;
};

const timeFormat = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** Where an event links: the most specific page it names. */
export function activityHref(orgSlug: string, event: TimelineSource): string | null {
  if (event.taskId) return `/${orgSlug}/tasks/${event.taskId}`;
  if (event.specId) return `/${orgSlug}/specs/${event.specId}`;
  if (event.ticket) return `/${orgSlug}/tickets/${event.ticket.id}`;
  if (event.project) return `/${orgSlug}/projects/${event.project.id}`;
  return null;
}

export function timelineEntry(
  orgSlug: string,
  event: TimelineSource,
  now: Date = new Date(),
): TimelineEntry {
  return {
    id: event.id,
    seq: event.seq.toString(),
    type: event.type,
    family: activityFamily(event.type),
    sentence: describeActivity(event),
    href: activityHref(orgSlug, event),
    at: event.createdAt.toISOString(),
    day: activityDayLabel(event.createdAt, now),
    time: timeFormat.format(event.createdAt),
    fullTime: fullFormat.format(event.createdAt),
  };
}
