import "server-only";
import { z } from "zod";
import { assertCanStartWork } from "@/lib/billing/assert-can-start-work";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { transitionTaskByPerson } from "./transition-task-by-person";

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
    const task = await transitionTaskByPerson(tx, {
      actor,
      taskId,
      event: { type: "retry" },
      activityType: "task.retried",
      data: { attempts: 0, notBefore: null, attentionReason: null, finishedAt: null },
    });
    // A retry starts work: refused (and rolled back) while payment is overdue or runs are used up.
    await assertCanStartWork(tx, { orgId: actor.orgId });
    return task;
  });
}
