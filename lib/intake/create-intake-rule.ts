import "server-only";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type CreateIntakeRuleInput, createIntakeRuleSchema } from "./intake-rule-schema";

/** Adds an allow or deny rule at the end of the organization's intake policy. */
export async function createIntakeRule(
  db: Db,
  options: { actor: Actor; input: CreateIntakeRuleInput },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  const input = createIntakeRuleSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const last = await tx.intakeRule.findFirst({
      where: { orgId: actor.orgId },
      orderBy: { position: "desc" },
      select: { position: true },
    });
    const rule = await tx.intakeRule.create({
      data: {
        orgId: actor.orgId,
        name: input.name,
        effect: input.effect,
        field: input.field,
        pattern: input.field === "PRIORITY" ? input.pattern.toLowerCase() : input.pattern,
        position: (last?.position ?? -1) + 1,
      },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "org.intake_rule_added",
      ...activityActor(actor),
      data: {
        ruleId: rule.id,
        name: rule.name,
        effect: rule.effect,
        field: rule.field,
        pattern: rule.pattern,
      },
    });
    return rule;
  });
}
