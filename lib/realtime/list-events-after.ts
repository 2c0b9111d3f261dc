import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { RESET_EVENT_TYPE, type RealtimeEvent } from "./realtime-event";
import type { CatchUpPage } from "./resumable-stream";

/** A stream position: an ActivityEvent.seq. */
export const seqCursorSchema = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, "Use the id of an event from this stream");

export const listEventsAfterSchema = z.object({
  after: seqCursorSchema,
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type ListEventsAfterInput = z.input<typeof listEventsAfterSchema>;

/** The columns a realtime message is made from. */
export const realtimeEventSelect = {
  seq: true,
  type: true,
  orgId: true,
  projectId: true,
  ticketId: true,
  specId: true,
  taskId: true,
} as const;

/** An ActivityEvent row as a realtime message (ids it does not name left out, as the trigger does). */
export function toRealtimeEvent(row: {
  seq: bigint;
  type: string;
  orgId: string;
  projectId: string | null;
  ticketId: string | null;
  specId: string | null;
  taskId: string | null;
}): RealtimeEvent {
  const event: RealtimeEvent = { seq: row.seq.toString(), type: row.type, orgId: row.orgId };
  if (row.projectId) event.projectId = row.projectId;
  if (row.ticketId) event.ticketId = row.ticketId;
  if (row.specId) event.specId = row.specId;
  if (row.taskId) event.taskId = row.taskId;
  return event;
}

/**
 * The organization's activity events after a seq, in commit order, for a stream resuming
 * after a reconnect. More than `limit` missed: one reset event at the latest seq instead, so
 * the receiver refetches what it shows rather than replaying a long backlog.
 */
export async function listEventsAfter(
  db: Db,
  options: { actor: Actor; input: ListEventsAfterInput },
): Promise<CatchUpPage> {
  const { actor } = options;
  assertCan(actor, "read");
  const { after, limit } = listEventsAfterSchema.parse(options.input);
  const rows = await db.activityEvent.findMany({
    where: { orgId: actor.orgId, seq: { gt: BigInt(after) } },
    orderBy: { seq: "asc" },
    take: limit + 1,
    select: realtimeEventSelect,
  });
  if (rows.length <= limit) return { events: rows.map(toRealtimeEvent) };
  const latest = await db.activityEvent.findFirst({
    where: { orgId: actor.orgId },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  const seq = (latest?.seq ?? 0n).toString();
  return { events: [{ type: RESET_EVENT_TYPE, orgId: actor.orgId, seq }], cursor: seq };
}
