import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { applyQueueReadyTasks } from "@/lib/tasks/queue-ready-tasks";
import { formatUsd, specSpendUsd } from "./spec-spend";

export const resumeSpecExecutionSchema = z.object({ specId: z.string().min(1) });

/**
 * Resumes a paused spec: its ready tasks are queued again. Refused while the spec is still
 * over its budget (raise it first), with the figures in the message.
 */
export async function resumeSpecExecution(
  db: Db,
  options: { actor: Actor; input: z.input<typeof resumeSpecExecutionSchema> },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const { specId } = resumeSpecExecutionSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirst({
      where: { id: specId, orgId: actor.orgId },
      select: { id: true, pausedAt: true, budgetUsd: true, projectId: true, ticketId: true },
    });
    if (!spec) throw notFound("Spec");
    if (!spec.pausedAt) throw new AppError("CONFLICT", "The spec's execution is not paused.");
    const spent = await specSpendUsd(tx, specId);
    if (spec.budgetUsd !== null && spent >= Number(spec.budgetUsd)) {
      throw new AppError(
        "CONFLICT",
        `The spec has spent ${formatUsd(spent)} of its ${formatUsd(Number(spec.budgetUsd))} budget: raise the budget above ${formatUsd(spent)} to resume.`,
        { spentUsd: spent, budgetUsd: Number(spec.budgetUsd) },
      );
    }
    await tx.spec.update({ where: { id: specId }, data: { pausedAt: null, pausedReason: null } });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "spec.resumed",
      actorId: actor.userId,
      projectId: spec.projectId,
      ticketId: spec.ticketId,
      specId,
    });
    const queued = await applyQueueReadyTasks(tx, { specId });
    return { id: specId, queued: queued.length };
  });
}
