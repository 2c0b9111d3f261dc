import "server-only";
import { z } from "zod";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { TaskStatus } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { cancelTask } from "./cancel-task";
import { planManualMove, refusedMoveMessage } from "./manual-move";
import { resolveTask } from "./resolve-task";
import { retryTask } from "./retry-task";

export const moveTaskSchema = z.object({
  taskId: z.string().min(1),
  to: z.enum(TaskStatus, { error: "Unknown task status" }),
});
export type MoveTaskInput = z.input<typeof moveTaskSchema>;

/**
 * A person moves a task to another status column. Only the state machine's
 * manual moves go through (retry, mark done, cancel), each by its own domain
 * function; any other move is a CONFLICT whose message says why, and nothing
 * changes. Other organizations' tasks are NOT_FOUND.
 */
export async function moveTask(db: Db, options: { actor: Actor; input: MoveTaskInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { taskId, to } = moveTaskSchema.parse(options.input);
  const task = await db.task.findFirst({
    where: { id: taskId, orgId: actor.orgId },
    select: { id: true, key: true, title: true, status: true },
  });
  if (!task) throw notFound("Task");
  const plan = planManualMove(task.status, to);
  if (!plan.ok) {
    throw new AppError("CONFLICT", refusedMoveMessage(task, to, plan.reason), {
      currentStatus: task.status,
    });
  }
  const moved =
    plan.event === "cancel"
      ? await cancelTask(db, { actor, taskId })
      : plan.event === "retry"
        ? await retryTask(db, { actor, taskId })
        : await resolveTask(db, { actor, taskId });
  return { id: task.id, key: task.key, from: task.status, status: moved.status, event: plan.event };
}
