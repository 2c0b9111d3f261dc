import { z } from "zod";
import { IntakeEffect, IntakeField } from "@/lib/generated/prisma/enums";
import { intakePriorities, intakeTypes } from "./intake-schema";

export const createIntakeRuleSchema = z
  .object({
    name: z
      .string({ error: "Name the rule" })
      .trim()
      .min(1, "Name the rule")
      .max(80, "At most 80 characters"),
    effect: z.enum(IntakeEffect, { error: "Choose allow or deny" }),
    field: z.enum(IntakeField, { error: "Choose what the rule looks at" }),
    pattern: z
      .string({ error: "Give a pattern" })
      .trim()
      .min(1, "Give a pattern")
      .max(300, "At most 300 characters"),
  })
  .superRefine((rule, ctx) => {
    const value = rule.pattern.toLowerCase();
    if (rule.field === "PRIORITY" && !(intakePriorities as readonly string[]).includes(value)) {
      ctx.addIssue({
        code: "custom",
        path: ["pattern"],
        message: `Use a priority: ${intakePriorities.join(", ")}`,
      });
    }
    if (
      rule.field === "TYPE" &&
      !/[*?]/.test(value) &&
      !(intakeTypes as readonly string[]).includes(value)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["pattern"],
        message: `Use a type: ${intakeTypes.join(", ")}`,
      });
    }
  });
export type CreateIntakeRuleInput = z.input<typeof createIntakeRuleSchema>;

export const deleteIntakeRuleSchema = z.object({ ruleId: z.string().min(1) });
export type DeleteIntakeRuleInput = z.input<typeof deleteIntakeRuleSchema>;
