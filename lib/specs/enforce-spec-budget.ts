import "server-only";
import type { Db } from "@/lib/db/client";
import { recordIntervention } from "@/lib/guardian/record-intervention";
import { applyPauseSpecExecution } from "./pause-spec-execution";
import { formatUsd, specSpendUsd } from "./spec-spend";

export interface SpecBudgetState {
  budgetUsd: number | null;
  spentUsd: number;
  /** USD left before the budget is reached; null with no budget. */
  remainingUsd: number | null;
  paused: boolean;
  /** Spent at least the budget: no more work may start. */
  exceeded: boolean;
}

/**
 * The guardian's budget check, run before a task starts and after every model call: once a
 * spec has spent its budget, its execution is paused (with the reason) and the intervention
 * recorded. Returns the budget state after the check.
 */
export async function enforceSpecBudget(
  db: Db,
  options: {
    orgId: string;
    specId: string;
    /** The run whose spending crossed the line, for the record. */
    task?: { id: string; key: string };
    runId?: string;
  },
): Promise<SpecBudgetState> {
  return db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirstOrThrow({
      where: { id: options.specId, orgId: options.orgId },
      select: { budgetUsd: true, pausedAt: true, projectId: true },
    });
    const budgetUsd = spec.budgetUsd === null ? null : Number(spec.budgetUsd);
    const spentUsd = await specSpendUsd(tx, options.specId);
    const remainingUsd = budgetUsd === null ? null : Math.max(budgetUsd - spentUsd, 0);
    const exceeded = budgetUsd !== null && spentUsd >= budgetUsd;
    if (spec.pausedAt || !exceeded) {
      return { budgetUsd, spentUsd, remainingUsd, paused: spec.pausedAt !== null, exceeded };
    }
    const reason = `Budget of ${formatUsd(budgetUsd)} reached (${formatUsd(spentUsd)} spent). Execution is paused: raise the budget to resume.`;
    const paused = await applyPauseSpecExecution(tx, {
      orgId: options.orgId,
      specId: options.specId,
      reason,
    });
    if (paused) {
      await recordIntervention(tx, {
        orgId: options.orgId,
        action: "ESCALATE",
        reason,
        projectId: spec.projectId,
        specId: options.specId,
        taskId: options.task?.id,
        taskKey: options.task?.key,
        runId: options.runId,
      });
    }
    return { budgetUsd, spentUsd, remainingUsd, paused, exceeded };
  });
}
