import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export const queueReadyTasksSchema = z.object({ specId: z.string().min(1) });

interface QueuedRow {
  id: string;
  orgId: string;
  projectId: string;
  key: string;
  rank: number;
  createdAt: Date;
}

/**
 * Inside the caller's transaction: moves the spec's PENDING tasks whose
 * dependencies are all DONE to QUEUED and records "task.queued" for each.
 * Returns the ids queued, in rank order. A cancelled or paused spec queues nothing.
 *
 * The spec row is locked first (FOR NO KEY UPDATE, which does not block
 * inserts that reference it) so that two tasks finishing at once cannot both
 * miss each other's DONE and leave their common dependent PENDING for ever:
 * the second waits, and its UPDATE (a new statement, so a new snapshot under
 * READ COMMITTED) sees the first one's commit.
 */
export async function applyQueueReadyTasks(
  tx: Prisma.TransactionClient,
  options: { specId: string; now?: Date },
): Promise<string[]> {
  const now = options.now ?? new Date();
  const spec = await tx.$queryRaw<{ state: string; paused: boolean }[]>`
    SELECT state::text AS state, "pausedAt" IS NOT NULL AS paused
    FROM "Spec" WHERE id = ${options.specId} FOR NO KEY UPDATE`;
  if (spec.length === 0 || spec[0]!.state === "CANCELLED" || spec[0]!.paused) return [];

  const queued = await tx.$queryRaw<QueuedRow[]>`
    UPDATE "Task" t
    SET status = 'QUEUED', "updatedAt" = ${now}
    WHERE t."specId" = ${options.specId}
      AND t.status = 'PENDING'
      AND NOT EXISTS (
        SELECT 1
        FROM "TaskDependency" d
        JOIN "Task" dep ON dep.id = d."dependsOnId"
        WHERE d."taskId" = t.id AND dep.status <> 'DONE'
      )
    RETURNING t.id, t."orgId", t."projectId", t.key, t.rank, t."createdAt"`;
  const ordered = queued.sort(
    (a, b) => a.rank - b.rank || a.createdAt.getTime() - b.createdAt.getTime(),
  );
  for (const task of ordered) {
    await recordActivity(tx, {
      orgId: task.orgId,
      type: "task.queued",
      actorKind: "SYSTEM",
      projectId: task.projectId,
      specId: options.specId,
      taskId: task.id,
      data: { from: "PENDING", to: "QUEUED", key: task.key },
    });
  }
  return ordered.map((task) => task.id);
}

/**
 * Queues the spec's tasks whose dependencies are all done (after the task
 * graph is approved, and after each task completes). Returns the ids queued.
 */
export async function queueReadyTasks(
  db: Db,
  options: z.input<typeof queueReadyTasksSchema> & { now?: Date },
): Promise<string[]> {
  const { specId } = queueReadyTasksSchema.parse(options);
  return db.$transaction((tx) => applyQueueReadyTasks(tx, { specId, now: options.now }));
}
