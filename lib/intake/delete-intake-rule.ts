import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type DeleteIntakeRuleInput, deleteIntakeRuleSchema } from "./intake-rule-schema";

/** Removes one rule from the organization's intake policy. */
export async function deleteIntakeRule(
  db: Db,
  options: { actor: Actor; input: DeleteIntakeRuleInput },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const { ruleId } = deleteIntakeRuleSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const rule = await tx.intakeRule.findFirst({
      where: { id: ruleId, orgId: actor.orgId },
      select: { id: true, name: true },
    });
    if (!rule) throw notFound("Intake rule");
    await tx.intakeRule.delete({ where: { id: rule.id } });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "org.intake_rule_removed",
      ...activityActor(actor),
      data: { ruleId: rule.id, name: rule.name },
    });
    return { id: rule.id };
  });
}
