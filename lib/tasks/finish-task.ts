import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind } from "@/lib/generated/prisma/enums";
import { applyQueueReadyTasks } from "./queue-ready-tasks";
import { type BackoffOptions, hasAttemptsLeft, retryDelayMs } from "./retry-policy";
import { type TaskLease, taskLeaseSchema, transitionHeldTask } from "./transition-task";

const message = z.string().trim().min(1).max(10_000);

export const completeTaskSchema = taskLeaseSchema;
export const failTaskSchema = taskLeaseSchema.extend({ error: message, retryable: z.boolean() });
export const markNeedsAttentionSchema = taskLeaseSchema.extend({ reason: message });

export type FailTaskInput = z.input<typeof failTaskSchema>;
export type MarkNeedsAttentionInput = z.input<typeof markNeedsAttentionSchema>;

interface WorkerCallOptions {
  now?: Date;
  /** Who reports it: AGENT (the built-in worker, default) or RUNNER (a self-hosted runner). */
  actorKind?: ActorKind;
  /** This attempt's model usage, added to the task's totals (every attempt costs). */
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: Prisma.Decimal | number | string;
}

function addedUsage(options: WorkerCallOptions): Prisma.TaskUpdateManyMutationInput {
  return {
    ...(options.inputTokens ? { inputTokens: { increment: options.inputTokens } } : {}),
    ...(options.outputTokens ? { outputTokens: { increment: options.outputTokens } } : {}),
    ...(options.costUsd !== undefined ? { costUsd: { increment: options.costUsd } } : {}),
  };
}

/**
 * The worker finished the task: DONE, lease released, and the spec's tasks
 * whose dependencies are now all done are queued in the same transaction.
 * CONFLICT when the caller no longer holds the lease.
 */
export async function completeTask(db: Db, options: TaskLease & WorkerCallOptions) {
  const lease = completeTaskSchema.parse(options);
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const found = await tx.task.findUnique({
      where: { id: lease.taskId },
      select: { specId: true },
    });
    // Lock the spec before the task (the order applyQueueReadyTasks and the spec
    // transitions use), so completions of sibling tasks serialise without deadlock.
    if (found) {
      await tx.$queryRaw`SELECT 1 FROM "Spec" WHERE id = ${found.specId} FOR NO KEY UPDATE`;
    }
    const task = await transitionHeldTask(tx, lease, {
      event: { type: "complete" },
      activityType: "task.completed",
      actorKind: options.actorKind,
      data: { ...addedUsage(options), finishedAt: now, attentionReason: null },
    });
    const queued = await applyQueueReadyTasks(tx, { specId: task.specId, now });
    return { task, queued };
  });
}

/**
 * The attempt failed. A retryable error with attempts left goes back to
 * QUEUED, not claimable before now + exponential backoff with jitter
 * ("task.requeued"); anything else is FAILED with the error as the reason
 * ("task.failed"). CONFLICT when the caller no longer holds the lease.
 */
export async function failTask(
  db: Db,
  options: FailTaskInput & WorkerCallOptions & { backoff?: BackoffOptions },
) {
  const { error, retryable, ...lease } = failTaskSchema.parse(options);
  const now = options.now ?? new Date();
  return db.$transaction((tx) =>
    transitionHeldTask(tx, lease, (task) => {
      if (retryable && hasAttemptsLeft(task)) {
        const notBefore = new Date(now.getTime() + retryDelayMs(task.attempts, options.backoff));
        return {
          event: { type: "requeue" },
          activityType: "task.requeued",
          actorKind: options.actorKind,
          data: { ...addedUsage(options), notBefore, attentionReason: null },
          activityData: {
            cause: "retryable_error",
            reason: error,
            notBefore: notBefore.toISOString(),
          },
        };
      }
      const reason =
        retryable && task.attempts > 1
          ? `${error} (gave up after ${task.attempts} attempts)`
          : error;
      return {
        event: { type: "fail" },
        activityType: "task.failed",
        actorKind: options.actorKind,
        data: { ...addedUsage(options), finishedAt: now, attentionReason: reason },
        activityData: { cause: retryable ? "attempts_exhausted" : "permanent_error", reason },
      };
    }),
  );
}

/**
 * The worker hands the task to a person (e.g. verification keeps failing, or
 * the agent asks a question): NEEDS_ATTENTION with the reason, lease released,
 * no longer counted against the organization's concurrent agents.
 */
export async function markNeedsAttention(
  db: Db,
  options: MarkNeedsAttentionInput & WorkerCallOptions,
) {
  const { reason, ...lease } = markNeedsAttentionSchema.parse(options);
  return db.$transaction((tx) =>
    transitionHeldTask(tx, lease, {
      event: { type: "needAttention" },
      activityType: "task.needs_attention",
      actorKind: options.actorKind,
      data: { ...addedUsage(options), attentionReason: reason },
      activityData: { reason },
    }),
  );
}
