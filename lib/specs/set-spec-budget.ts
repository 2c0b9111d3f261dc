import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { enforceSpecBudget } from "./enforce-spec-budget";

export const setSpecBudgetSchema = z.object({
  specId: z.string().min(1),
  /** USD; null removes the budget. */
  budgetUsd: z
    .number({ error: "Budget must be a number of dollars." })
    .positive("Budget must be more than $0.")
    .max(1_000_000, "Budget must be at most $1,000,000.")
    .nullable(),
});
export type SetSpecBudgetInput = z.input<typeof setSpecBudgetSchema>;

/**
 * Sets (or removes) the most a spec may spend on model calls. A budget below what is already
 * spent pauses an executing spec at once.
 */
export async function setSpecBudget(db: Db, options: { actor: Actor; input: SetSpecBudgetInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { specId, budgetUsd } = setSpecBudgetSchema.parse(options.input);
  await db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirst({
      where: { id: specId, orgId: actor.orgId },
      select: { projectId: true, ticketId: true },
    });
    if (!spec) throw notFound("Spec");
    await tx.spec.update({
      where: { id: specId },
      data: { budgetUsd: budgetUsd === null ? null : new Prisma.Decimal(budgetUsd.toFixed(4)) },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "spec.budget_set",
      actorId: actor.userId,
      projectId: spec.projectId,
      ticketId: spec.ticketId,
      specId,
      data: { budgetUsd },
    });
  });
  return enforceSpecBudget(db, { orgId: actor.orgId, specId });
}
