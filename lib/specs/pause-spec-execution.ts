import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import { nextTaskStatus } from "@/lib/tasks/task-state";
import { releasedLease } from "@/lib/tasks/transition-task";

export interface PauseSpecExecutionOptions {
  orgId: string;
  specId: string;
  /** Shown on the spec page and in the timeline ("Budget of $5.00 reached: $5.12 spent"). */
  reason: string;
  now?: Date;
}

/**
 * Inside the caller's transaction: pauses an executing spec. Its queued tasks go back to
 * PENDING (so no worker claims them) and its running ones too, with their leases released:
 * their workers' next heartbeat fails and they stop the agent. A paused run does not use up
 * an attempt. Nothing is queued again until a person resumes the spec. Returns false when
 * the spec is not executing or already paused.
 */
export async function applyPauseSpecExecution(
  tx: Prisma.TransactionClient,
  options: PauseSpecExecutionOptions,
): Promise<boolean> {
  const now = options.now ?? new Date();
  const [spec] = await tx.$queryRaw<
    { state: string; pausedAt: Date | null; projectId: string; ticketId: string | null }[]
  >`
    SELECT state::text AS state, "pausedAt", "projectId", "ticketId" FROM "Spec"
    WHERE id = ${options.specId} AND "orgId" = ${options.orgId} FOR UPDATE`;
  if (!spec || spec.pausedAt || (spec.state !== "EXECUTING" && spec.state !== "VERIFYING")) {
    return false;
  }
  await tx.spec.update({
    where: { id: options.specId },
    data: { pausedAt: now, pausedReason: options.reason },
  });
  const tasks = await tx.$queryRaw<{ id: string; status: TaskStatus; attempts: number }[]>`
    SELECT id, status::text AS status, attempts FROM "Task"
    WHERE "specId" = ${options.specId} AND status IN ('QUEUED', 'RUNNING', 'VERIFYING')
    ORDER BY id
    FOR UPDATE`;
  for (const task of tasks) {
    const held = task.status !== "QUEUED";
    await tx.task.update({
      where: { id: task.id },
      data: {
        status: nextTaskStatus(task.status, { type: "pause" }),
        notBefore: null,
        ...(held ? { ...releasedLease, attempts: Math.max(task.attempts - 1, 0) } : {}),
      },
      select: { id: true },
    });
  }
  await recordActivity(tx, {
    orgId: options.orgId,
    type: "spec.paused",
    actorKind: "SYSTEM",
    projectId: spec.projectId,
    ticketId: spec.ticketId,
    specId: options.specId,
    data: { reason: options.reason, tasks: tasks.length },
  });
  return true;
}

/** Pauses an executing spec's tasks; see applyPauseSpecExecution. */
export async function pauseSpecExecution(db: Db, options: PauseSpecExecutionOptions) {
  return db.$transaction((tx) => applyPauseSpecExecution(tx, options));
}
