// Evaluating an organization's intake rules against a request (pure: no database).
//
// Semantics, per rule field:
// - TYPE: the pattern is a task type (or a glob); REPOSITORY and TAG: case-insensitive globs;
//   PATH: a case-sensitive glob on target.path. In globs `*` stays within a path segment, `**`
//   crosses segments, `?` is one character.
// - PRIORITY: the pattern is a priority. ALLOW means "at most this"; DENY means "this or higher".
// Any DENY rule that matches refuses the request. For each field that has ALLOW rules, the
// request must match one of them (every tag must; a request without target.path does not satisfy
// PATH allow rules). The refusal names the rule.
import type { IntakeEffect, IntakeField } from "@/lib/generated/prisma/enums";
import { type IntakePriority, intakePriorities } from "./intake-schema";

export interface IntakeRuleLike {
  id: string;
  name: string;
  effect: IntakeEffect;
  field: IntakeField;
  pattern: string;
}

export interface IntakeSubject {
  type: string;
  repository: string;
  path: string | null;
  priority: IntakePriority;
  tags: readonly string[];
}

export type PolicyDecision =
  | { allowed: true }
  | { allowed: false; rule: { id: string; name: string }; field: string; reason: string };

/** The request field each rule field is about, as the API names it. */
export const intakeFieldNames: Record<IntakeField, string> = {
  TYPE: "type",
  REPOSITORY: "target.repository",
  PATH: "target.path",
  PRIORITY: "priority",
  TAG: "tags",
};

export function globToRegExp(glob: string, caseSensitive: boolean): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? "";
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, caseSensitive ? "" : "i");
}

const rank = (p: string) => intakePriorities.indexOf(p.toLowerCase() as IntakePriority);

/** The values of the request a rule looks at (several for tags). */
function valuesFor(field: IntakeField, subject: IntakeSubject): string[] {
  switch (field) {
    case "TYPE":
      return [subject.type];
    case "REPOSITORY":
      return [subject.repository];
    case "PATH":
      return subject.path === null ? [] : [subject.path];
    case "PRIORITY":
      return [subject.priority];
    case "TAG":
      return [...subject.tags];
  }
}

function matches(rule: IntakeRuleLike, value: string): boolean {
  if (rule.field === "PRIORITY") {
    return rule.effect === "ALLOW"
      ? rank(value) <= rank(rule.pattern)
      : rank(value) >= rank(rule.pattern);
  }
  return globToRegExp(rule.pattern, rule.field === "PATH").test(value);
}

const refuse = (rule: IntakeRuleLike, reason: string): PolicyDecision => ({
  allowed: false,
  rule: { id: rule.id, name: rule.name },
  field: intakeFieldNames[rule.field],
  reason,
});

/** Whether the organization's rules (in their order) let this request in, and if not which rule refused it. */
export function evaluateIntakePolicy(
  rules: readonly IntakeRuleLike[],
  subject: IntakeSubject,
): PolicyDecision {
  for (const rule of rules) {
    if (rule.effect !== "DENY") continue;
    const hit = valuesFor(rule.field, subject).find((value) => matches(rule, value));
    if (hit !== undefined) {
      return refuse(rule, `${intakeFieldNames[rule.field]} "${hit}" is denied (${rule.pattern})`);
    }
  }
  const fields = [...new Set(rules.filter((r) => r.effect === "ALLOW").map((r) => r.field))];
  for (const field of fields) {
    const allows = rules.filter((r) => r.effect === "ALLOW" && r.field === field);
    const first = allows[0];
    if (!first) continue;
    const values = valuesFor(field, subject);
    const name = intakeFieldNames[field];
    if (field === "PATH" && values.length === 0) {
      return refuse(
        first,
        `${name} is required: work is only allowed under ${allows.map((r) => r.pattern).join(", ")}`,
      );
    }
    const outside = values.find((value) => !allows.some((rule) => matches(rule, value)));
    if (outside !== undefined) {
      return refuse(
        first,
        `${name} "${outside}" is not allowed (allowed: ${allows.map((r) => r.pattern).join(", ")})`,
      );
    }
  }
  return { allowed: true };
}
