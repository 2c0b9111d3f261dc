import "server-only";
import { z } from "zod";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

export const listRunTraceEventsSchema = z.object({
  runId: z.string().min(1),
  /** The last event seen: events after it come next. */
  afterSeq: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ListRunTraceEventsInput = z.input<typeof listRunTraceEventsSchema>;

/** A page of a run's trace events (model calls, tool calls, commands, verification, notes) in order; another organization's run is NOT_FOUND. */
export async function listRunTraceEvents(
  db: Db,
  options: { actor: Actor; input: ListRunTraceEventsInput },
) {
  const { actor } = options;
  assertCan(actor, "read");
  const input = listRunTraceEventsSchema.parse(options.input);
  const run = await db.run.findFirst({
    where: { id: input.runId, orgId: actor.orgId },
    select: { id: true },
  });
  if (!run) throw notFound("Run");
  const rows = await db.runTraceEvent.findMany({
    where: {
      runId: run.id,
      orgId: actor.orgId,
      ...(input.afterSeq !== undefined ? { seq: { gt: input.afterSeq } } : {}),
    },
    orderBy: { seq: "asc" },
    take: input.limit + 1,
    select: { seq: true, kind: true, name: true, data: true, startedAt: true, durationMs: true },
  });
  const items = rows.slice(0, input.limit);
  const nextSeq = rows.length > input.limit ? (items.at(-1)?.seq ?? null) : null;
  return { items, nextSeq };
}
