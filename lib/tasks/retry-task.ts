import "server-only";
import { z } from "zod";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import { assertCanStartWork } from "@/lib/billing/assert-can-start-work";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { nextTaskStatus } from "./task-state";
import { releasedLease } from "./transition-task";

export const retryTaskSchema = z.object({ taskId: z.string().min(1) });

/**
 * A person sends a failed task (or one that needs attention) back to the queue
 * with a fresh set of attempts; earlier runs stay in its history.
 */
export async function retryTask(db: Db, options: { actor: Actor; taskId: string }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { taskId } = retryTaskSchema.parse(options);
  return db.$transaction(async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: taskId, orgId: actor.orgId },
      select: { id: true, projectId: true, specId: true, key: true, status: true },
    });
    if (!task) throw notFound("Task");
    await assertCanStartWork(tx, { orgId: actor.orgId });
    const to = nextTaskStatus(task.status, { type: "retry" });
    const updated = await tx.task.updateMany({
      where: { id: task.id, orgId: actor.orgId, status: task.status },
      data: {
        status: to,
        attempts: 0,
        notBefore: null,
        attentionReason: null,
        finishedAt: null,
        ...releasedLease,
      },
    });
    if (updated.count === 0) {
      throw new AppError(
        "CONFLICT",
        "The task changed while you were acting on it. Reload and try again.",
        {
          currentStatus: task.status,
        },
      );
    }
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "task.retried",
      ...activityActor(actor),
      projectId: task.projectId,
      specId: task.specId,
      taskId: task.id,
      data: { from: task.status, to, key: task.key },
    });
    return { ...task, from: task.status, status: to };
  });
}
