import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { DEFAULT_LEASE_MS } from "./retry-policy";
import { taskLeaseSchema } from "./transition-task";

export const heartbeatTaskSchema = taskLeaseSchema.extend({
  leaseMs: z
    .number()
    .int()
    .min(1_000)
    .max(24 * 60 * 60 * 1000)
    .default(DEFAULT_LEASE_MS),
});
export type HeartbeatTaskInput = z.input<typeof heartbeatTaskSchema>;

/**
 * Extends the worker's lease on a task it is running (every 30 s). False when
 * the lease is gone — the task was requeued as stale, timed out, cancelled,
 * finished or claimed again — and the worker must stop working on it.
 * Not a state change, so no activity event.
 */
export async function heartbeatTask(
  db: Db,
  options: HeartbeatTaskInput & { now?: Date },
): Promise<boolean> {
  const { taskId, workerId, attempt, leaseMs } = heartbeatTaskSchema.parse(options);
  const now = options.now ?? new Date();
  const renewed = await db.task.updateMany({
    where: {
      id: taskId,
      leaseOwner: workerId,
      status: { in: ["RUNNING", "VERIFYING"] },
      ...(attempt !== undefined ? { attempts: attempt } : {}),
    },
    data: { lastHeartbeatAt: now, leaseExpiresAt: new Date(now.getTime() + leaseMs) },
  });
  return renewed.count > 0;
}
