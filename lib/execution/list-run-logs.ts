import "server-only";
import { z } from "zod";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

export const listRunLogsSchema = z.object({
  runId: z.string().min(1),
  /** The last line seen: lines after it come next. */
  afterSeq: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).default(500),
});
export type ListRunLogsInput = z.input<typeof listRunLogsSchema>;

/** A page of a run's log lines in order; another organization's run is NOT_FOUND. */
export async function listRunLogs(db: Db, options: { actor: Actor; input: ListRunLogsInput }) {
  const { actor } = options;
  assertCan(actor, "read");
  const input = listRunLogsSchema.parse(options.input);
  const run = await db.run.findFirst({
    where: { id: input.runId, orgId: actor.orgId },
    select: { id: true },
  });
  if (!run) throw notFound("Run");
  const rows = await db.runLog.findMany({
    where: {
      runId: run.id,
      ...(input.afterSeq !== undefined ? { seq: { gt: input.afterSeq } } : {}),
    },
    orderBy: { seq: "asc" },
    take: input.limit + 1,
    select: { seq: true, stream: true, text: true, createdAt: true },
  });
  const items = rows.slice(0, input.limit);
  const nextSeq = rows.length > input.limit ? (items.at(-1)?.seq ?? null) : null;
  return { items, nextSeq };
}
