import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import { recordIntervention } from "@/lib/guardian/record-intervention";
import {
  type BackoffOptions,
  DEFAULT_LEASE_MS,
  hasAttemptsLeft,
  retryDelayMs,
} from "./retry-policy";
import { nextTaskStatus } from "./task-state";
import { releasedLease } from "./transition-task";

/**
 * A worker enforces its task's time limit itself and reports how it ended; the
 * sweeper takes a task back only if that has not happened a lease later.
 */
const TIMEOUT_GRACE_SECONDS = DEFAULT_LEASE_MS / 1000;

export const requeueStaleTasksSchema = z.object({
  limit: z.number().int().min(1).max(1_000).default(100),
});

interface StaleRow {
  id: string;
  orgId: string;
  projectId: string;
  specId: string;
  key: string;
  status: TaskStatus;
  attempts: number;
  maxAttempts: number;
  timeoutSeconds: number;
  leaseOwner: string | null;
  lastHeartbeatAt: Date | null;
  timedOut: boolean;
}

/** What the sweep did: ids sent back to the queue (with backoff) and ids failed for good. */
export interface RequeueStaleResult {
  requeued: string[];
  failed: string[];
}

/** "Lost its worker 3 times", counting the earlier requeues for the same cause. */
async function lostWorkerReason(tx: Prisma.TransactionClient, task: StaleRow): Promise<string> {
  const before = await tx.activityEvent.count({
    where: {
      orgId: task.orgId,
      taskId: task.id,
      type: "task.requeued",
      data: { path: ["cause"], equals: "lost_worker" },
    },
  });
  const lost = before + 1;
  const times = lost === 1 ? "once" : `${lost} times`;
  const gaveUp = lost < task.attempts ? ` (gave up after ${task.attempts} attempts)` : "";
  return `Lost its worker ${times}${gaveUp}`;
}

/**
 * Takes back tasks whose worker is gone: RUNNING or VERIFYING with the lease
 * expired (no heartbeat for the lease, 90 s by default) or running longer than
 * the task's timeoutSeconds plus a lease's grace (the worker stops it first).
 * With attempts left they go back to QUEUED, not claimable before now +
 * backoff ("task.requeued"); otherwise FAILED
 * ("task.failed", e.g. "Lost its worker 3 times"). The lease is cleared, so
 * the old worker's next heartbeat returns false. Safe to run from several
 * processes at once: rows are taken FOR UPDATE SKIP LOCKED, `limit` per call.
 */
export async function requeueStaleTasks(
  db: Db,
  options: z.input<typeof requeueStaleTasksSchema> & { now?: Date; backoff?: BackoffOptions } = {},
): Promise<RequeueStaleResult> {
  const { limit } = requeueStaleTasksSchema.parse(options);
  const now = options.now ?? new Date();

  return db.$transaction(async (tx) => {
    const stale = await tx.$queryRaw<StaleRow[]>`
      SELECT id, "orgId", "projectId", "specId", key, status::text AS status, attempts,
        "maxAttempts", "timeoutSeconds", "leaseOwner", "lastHeartbeatAt",
        ("leaseExpiresAt" <= ${now}::timestamptz) IS NOT TRUE AS "timedOut"
      FROM "Task"
      WHERE status IN ('RUNNING', 'VERIFYING')
        AND (
          "leaseExpiresAt" <= ${now}::timestamptz
          OR "startedAt" + make_interval(secs => "timeoutSeconds" + ${TIMEOUT_GRACE_SECONDS})
            <= ${now}::timestamptz
        )
      -- By organization: each change takes its organization's row (the queue counters'
      -- trigger), and two sweepers taking them in the same order cannot deadlock.
      ORDER BY "orgId", id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;

    const result: RequeueStaleResult = { requeued: [], failed: [] };
    for (const task of stale) {
      const cause = task.timedOut ? "timed_out" : "lost_worker";
      const retry = hasAttemptsLeft(task);
      const to = nextTaskStatus(task.status, { type: retry ? "requeue" : "fail" });
      let reason: string;
      let data: Prisma.TaskUpdateInput;
      let notBefore: Date | null = null;
      if (retry) {
        notBefore = new Date(now.getTime() + retryDelayMs(task.attempts, options.backoff));
        reason = task.timedOut
          ? `Timed out after ${task.timeoutSeconds} s`
          : `Lost its worker${task.leaseOwner ? ` (${task.leaseOwner})` : ""}: no heartbeat`;
        data = { status: to, notBefore, ...releasedLease };
      } else {
        reason = task.timedOut
          ? `Timed out after ${task.timeoutSeconds} s on attempt ${task.attempts} of ${task.maxAttempts}`
          : await lostWorkerReason(tx, task);
        data = { status: to, finishedAt: now, attentionReason: reason, ...releasedLease };
      }
      await tx.task.update({ where: { id: task.id }, data, select: { id: true } });
      // The dead worker's run never reports back: close it so no page shows it running forever.
      await tx.run.updateMany({
        where: { taskId: task.id, status: "RUNNING" },
        data: { status: "FAILED", errorKind: "RETRYABLE", errorMessage: reason, finishedAt: now },
      });
      await recordActivity(tx, {
        orgId: task.orgId,
        type: retry ? "task.requeued" : "task.failed",
        actorKind: "SYSTEM",
        projectId: task.projectId,
        specId: task.specId,
        taskId: task.id,
        data: {
          from: task.status,
          to,
          key: task.key,
          attempt: task.attempts,
          cause,
          reason,
          ...(task.leaseOwner ? { workerId: task.leaseOwner } : {}),
          ...(task.lastHeartbeatAt ? { lastHeartbeatAt: task.lastHeartbeatAt.toISOString() } : {}),
          ...(notBefore ? { notBefore: notBefore.toISOString() } : {}),
        },
      });
      // The guardian's "no heartbeat" rule: the run is restarted elsewhere, or failed for good.
      await recordIntervention(tx, {
        orgId: task.orgId,
        action: retry ? "RESTART" : "FAIL",
        reason: retry ? `${reason}; requeued` : reason,
        projectId: task.projectId,
        specId: task.specId,
        taskId: task.id,
        taskKey: task.key,
      });
      (retry ? result.requeued : result.failed).push(task.id);
    }
    return result;
  });
}
