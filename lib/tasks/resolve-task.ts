import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { finishSpecExecution } from "@/lib/specs/finish-spec-execution";
import { applyQueueReadyTasks } from "./queue-ready-tasks";
import { nextTaskStatus } from "./task-state";
import { releasedLease } from "./transition-task";

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
    const task = await tx.task.findFirstOrThrow({
      where: { id: taskId, orgId: actor.orgId },
      select: { id: true, projectId: true, specId: true, key: true, title: true, status: true },
    });
    const to = nextTaskStatus(task.status, { type: "resolve" });
    const updated = await tx.task.updateMany({
      where: { id: task.id, orgId: actor.orgId, status: task.status },
      data: { status: to, finishedAt: now, attentionReason: null, ...releasedLease },
    });
    if (updated.count === 0) {
      throw new AppError(
        "CONFLICT",
        "The task changed while you were acting on it. Reload and try again.",
        { currentStatus: task.status },
      );
    }
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "task.resolved",
      actorId: actor.userId,
      projectId: task.projectId,
      specId: task.specId,
      taskId: task.id,
      data: { from: task.status, to, key: task.key, title: task.title },
    });
    const queued = await applyQueueReadyTasks(tx, { specId: task.specId, now });
    return { ...task, from: task.status, status: to, queued };
  });
  await finishSpecExecution(db, { orgId: actor.orgId, specId: result.specId });
  return result;
}
