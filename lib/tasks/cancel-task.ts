import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { transitionTaskByPerson } from "./transition-task-by-person";

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
  return db.$transaction((tx) =>
    transitionTaskByPerson(tx, {
      actor,
      taskId,
      event: { type: "cancel" },
      activityType: "task.cancelled",
      data: { finishedAt: now },
      activityData: (task) => (task.leaseOwner ? { workerId: task.leaseOwner } : {}),
    }),
  );
}
