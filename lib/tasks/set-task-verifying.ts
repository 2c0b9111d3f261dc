import "server-only";
import type { Db } from "@/lib/db/client";
import type { ActorKind } from "@/lib/generated/prisma/enums";
import {
  type TaskLease,
  taskLeaseSchema,
  taskRowSelect,
  transitionHeldTask,
} from "./transition-task";

/**
 * The worker's agent finished a round and the project's checks start:
 * RUNNING -> VERIFYING ("task.verifying"); the lease stays with the worker.
 * Idempotent for the same holder (a later round verifies again without a new
 * event). CONFLICT when the caller no longer holds the lease.
 */
export async function setTaskVerifying(db: Db, options: TaskLease & { actorKind?: ActorKind }) {
  const lease = taskLeaseSchema.parse(options);
  return db.$transaction(async (tx) => {
    const current = await tx.task.findUnique({
      where: { id: lease.taskId },
      select: taskRowSelect,
    });
    if (
      current?.status === "VERIFYING" &&
      current.leaseOwner === lease.workerId &&
      (lease.attempt === undefined || lease.attempt === current.attempts)
    ) {
      return { ...current, from: current.status };
    }
    return transitionHeldTask(tx, lease, {
      event: { type: "verify" },
      activityType: "task.verifying",
      actorKind: options.actorKind,
      keepLease: true,
    });
  });
}
