import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind, TaskStatus } from "@/lib/generated/prisma/enums";
import { humanTaskStatus, nextTaskStatus, type TaskEvent } from "./task-state";

/**
 * Who holds a task: the worker id given to claimTasks and, optionally, the
 * attempt it claimed (a fencing token: a worker that lost the task and claimed
 * it again later cannot act with the old attempt).
 */
export const taskLeaseSchema = z.object({
  taskId: z.string().min(1),
  workerId: z.string().min(1).max(200),
  attempt: z.number().int().positive().optional(),
});
export type TaskLease = z.infer<typeof taskLeaseSchema>;

/** What a held-task transition changes besides the status and the lease. */
export interface HeldTaskChange {
  event: TaskEvent;
  activityType: string;
  actorKind?: ActorKind;
  data?: Prisma.TaskUpdateManyMutationInput;
  activityData?: Prisma.InputJsonObject;
  /** The task stays with its worker (RUNNING -> VERIFYING); every other change releases the lease. */
  keepLease?: boolean;
}

/** The task as a held-task transition sees it before the change. */
export interface HeldTaskRow {
  id: string;
  orgId: string;
  projectId: string;
  specId: string;
  key: string;
  title: string;
  status: TaskStatus;
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
}

export const taskRowSelect = {
  id: true,
  orgId: true,
  projectId: true,
  specId: true,
  key: true,
  title: true,
  status: true,
  attempts: true,
  maxAttempts: true,
  leaseOwner: true,
} as const;

/** The columns a state change clears when the task leaves a worker's hands (lastHeartbeatAt stays, as history). */
export const releasedLease = { leaseOwner: null, leaseExpiresAt: null } as const;

function leaseLost(task: { key: string; status: TaskStatus }, workerId: string): AppError {
  return new AppError(
    "CONFLICT",
    `Worker ${workerId} no longer holds task ${task.key}: the task is ${humanTaskStatus(task.status)}.`,
    { currentStatus: task.status },
  );
}

/**
 * Moves a task its worker holds, inside the caller's transaction: checks the
 * caller still holds the lease (else CONFLICT), validates the transition,
 * writes it only if nothing moved the task meanwhile (compare-and-set on
 * status, owner and attempt), releases the lease (unless `keepLease`) and
 * records the activity.
 * `decide` picks the change from the task as it is (e.g. retry or fail).
 */
export async function transitionHeldTask(
  tx: Prisma.TransactionClient,
  lease: TaskLease,
  decide: HeldTaskChange | ((task: HeldTaskRow) => HeldTaskChange),
) {
  const task: HeldTaskRow | null = await tx.task.findUnique({
    where: { id: lease.taskId },
    select: taskRowSelect,
  });
  if (!task) throw notFound("Task");
  if (
    task.leaseOwner !== lease.workerId ||
    (lease.attempt !== undefined && lease.attempt !== task.attempts)
  ) {
    throw leaseLost(task, lease.workerId);
  }
  const change = typeof decide === "function" ? decide(task) : decide;
  const to = nextTaskStatus(task.status, change.event);
  const updated = await tx.task.updateMany({
    where: {
      id: task.id,
      status: task.status,
      leaseOwner: lease.workerId,
      attempts: task.attempts,
    },
    data: { ...change.data, ...(change.keepLease ? {} : releasedLease), status: to },
  });
  if (updated.count === 0) {
    const now = await tx.task.findUniqueOrThrow({ where: { id: task.id }, select: taskRowSelect });
    throw leaseLost(now, lease.workerId);
  }
  await recordActivity(tx, {
    orgId: task.orgId,
    type: change.activityType,
    actorKind: change.actorKind ?? "AGENT",
    projectId: task.projectId,
    specId: task.specId,
    taskId: task.id,
    data: {
      from: task.status,
      to,
      key: task.key,
      attempt: task.attempts,
      workerId: lease.workerId,
      ...change.activityData,
    },
  });
  return { ...task, from: task.status, status: to };
}
