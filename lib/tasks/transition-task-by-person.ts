import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/orgs/roles";
import { nextTaskStatus, type TaskEvent } from "./task-state";
import { releasedLease } from "./transition-task";

const personTaskSelect = {
  id: true,
  projectId: true,
  specId: true,
  key: true,
  title: true,
  status: true,
  leaseOwner: true,
} as const;

export type PersonTaskRow = Prisma.TaskGetPayload<{ select: typeof personTaskSelect }>;

/**
 * A person's move of a task (cancel, retry, mark done), inside the caller's
 * transaction: finds the task in the actor's organization (else NOT_FOUND),
 * validates the move with the state machine (else CONFLICT naming the status),
 * writes it only if nothing moved the task meanwhile (else CONFLICT), releases
 * any lease, and records the activity with who did it.
 */
export async function transitionTaskByPerson(
  tx: Prisma.TransactionClient,
  options: {
    actor: Actor;
    taskId: string;
    event: TaskEvent;
    activityType: string;
    data?: Prisma.TaskUpdateManyMutationInput;
    activityData?: (task: PersonTaskRow) => Prisma.InputJsonObject;
  },
) {
  const { actor } = options;
  const task = await tx.task.findFirst({
    where: { id: options.taskId, orgId: actor.orgId },
    select: personTaskSelect,
  });
  if (!task) throw notFound("Task");
  const to = nextTaskStatus(task.status, options.event);
  const updated = await tx.task.updateMany({
    where: { id: task.id, orgId: actor.orgId, status: task.status },
    data: { ...options.data, ...releasedLease, status: to },
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
    type: options.activityType,
    ...activityActor(actor),
    projectId: task.projectId,
    specId: task.specId,
    taskId: task.id,
    data: {
      from: task.status,
      to,
      key: task.key,
      title: task.title,
      ...options.activityData?.(task),
    },
  });
  return { ...task, from: task.status, status: to, leaseOwner: null };
}
