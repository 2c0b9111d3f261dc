import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { enforceSpecBudget } from "@/lib/specs/enforce-spec-budget";

/**
 * One model call of a task's run, from the built-in runner or a self-hosted one: its usage
 * record, the run's totals grown by it (the board shows a running task's cost), then the
 * spec's budget checked. Returns the budget's verdict; the caller stops or pauses the agent.
 */
export async function recordRunUsage(
  db: Db,
  options: {
    task: { id: string; key: string; orgId: string; specId: string };
    runId: string;
    usage: { model: string; inputTokens: number; outputTokens: number; costUsd: number };
  },
) {
  const { task, runId, usage } = options;
  const cost = new Prisma.Decimal(usage.costUsd.toFixed(6));
  await db.$transaction([
    db.usageRecord.create({
      data: {
        orgId: task.orgId,
        specId: task.specId,
        taskId: task.id,
        runId,
        role: "coder",
        model: usage.model,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costUsd: cost,
      },
    }),
    db.run.update({
      where: { id: runId },
      data: {
        inputTokens: { increment: usage.inputTokens },
        outputTokens: { increment: usage.outputTokens },
        costUsd: { increment: cost },
      },
    }),
  ]);
  return enforceSpecBudget(db, {
    orgId: task.orgId,
    specId: task.specId,
    task: { id: task.id, key: task.key },
    runId,
  });
}
