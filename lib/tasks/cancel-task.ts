import "server-only";
import { z } from "zod";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { nextTaskStatus } from "./task-state";
import { releasedLease } from "./transition-task";

export const cancelTaskSchema = z.object({ taskId: z.string().min(1) });

/**
 * A person cancels a task that has not ended. A running task's lease is
 * cleared, so its worker's next heartbeat returns false and it stops; tasks
 * that depend on it stay PENDING. Other organizations' tasks are NOT_FOUND.
 */
export async function cancelTask(db: Db, options: { actor: Actor; taskId: string; now?: Date }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { taskId } = cancelTaskSchema.parse(options);
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: taskId, orgId: actor.orgId },
      select: {
        id: true,
        projectId: true,
        specId: true,
        key: true,
        status: true,
        leaseOwner: true,
      },
    });
    if (!task) throw notFound("Task");
    const to = nextTaskStatus(task.status, { type: "cancel" });
    const updated = await tx.task.updateMany({
      where: { id: task.id, orgId: actor.orgId, status: task.status },
      data: { status: to, finishedAt: now, ...releasedLease },
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
      type: "task.cancelled",
      ...activityActor(actor),
      projectId: task.projectId,
      specId: task.specId,
      taskId: task.id,
      data: {
        from: task.status,
        to,
        key: task.key,
        ...(task.leaseOwner ? { workerId: task.leaseOwner } : {}),
      },
    });
    return { ...task, from: task.status, status: to, leaseOwner: null };
  });
}
