import "server-only";
import { z } from "zod";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { finishSpecExecution } from "@/lib/specs/finish-spec-execution";
import { applyQueueReadyTasks } from "./queue-ready-tasks";
import { transitionTaskByPerson } from "./transition-task-by-person";

export const resolveTaskSchema = z.object({ taskId: z.string().min(1) });

/**
 * A person marks a task that needs attention as done (they finished it by
 * hand): its dependents whose dependencies are now all done are queued, and the
 * spec is done once every task is. Other organizations' tasks are NOT_FOUND.
 */
export async function resolveTask(db: Db, options: { actor: Actor; taskId: string; now?: Date }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { taskId } = resolveTaskSchema.parse(options);
  const now = options.now ?? new Date();
  const result = await db.$transaction(async (tx) => {
    const found = await tx.task.findFirst({
      where: { id: taskId, orgId: actor.orgId },
      select: { specId: true },
    });
    if (!found) throw notFound("Task");
    // The spec before the task, as completeTask locks them, so sibling completions serialise.
    await tx.$queryRaw`SELECT 1 FROM "Spec" WHERE id = ${found.specId} FOR NO KEY UPDATE`;
    const task = await transitionTaskByPerson(tx, {
      actor,
      taskId,
      event: { type: "resolve" },
      activityType: "task.resolved",
      data: { finishedAt: now, attentionReason: null },
    });
    const queued = await applyQueueReadyTasks(tx, { specId: task.specId, now });
    return { ...task, queued };
  });
  await finishSpecExecution(db, { orgId: actor.orgId, specId: result.specId });
  return result;
}
