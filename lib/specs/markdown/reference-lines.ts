import type { RequirementsContent } from "../artifact-schemas";
import { markdownRefToId, refToMarkdown, requirementIdOf } from "../requirement-refs";

/*
 * The `_Requirements: 1.1, 2_` and `_Depends on: 1, 3_` lines. Requirement
 * references are written as Markdown numbers (criterion "1.1", requirement
 * "2") and mapped back to ids (REQ-001.1, REQ-002) on import. "none" stands
 * for an explicitly empty list where leaving the line out would mean a default.
 */

export const noneMarker = "none";

/** What a file's requirement references are checked against. */
export type RequirementScope =
  | {
      kind: "known";
      requirementIds: ReadonlySet<string>;
      criterionIds: ReadonlySet<string>;
    }
  /** No requirements.md and none passed in: any reference is an error. */
  | { kind: "missing" }
  /** requirements.md failed to parse; its own errors are reported, references are not checked. */
  | { kind: "unchecked" };

export function scopeOf(requirements: RequirementsContent | undefined): RequirementScope {
  if (!requirements) return { kind: "missing" };
  return {
    kind: "known",
    requirementIds: new Set(requirements.requirements.map((r) => r.id)),
    criterionIds: new Set(
      requirements.requirements.flatMap((r) => r.acceptanceCriteria.map((c) => c.id)),
    ),
  };
}

function criteriaByRequirement(requirements: RequirementsContent): Map<string, string[]> {
  return new Map(
    requirements.requirements.map((r) => [r.id, r.acceptanceCriteria.map((c) => c.id)]),
  );
}

/**
 * tasks.md names criteria ("_Requirements: 1.1, 1.2_"), so a task's reference to a whole
 * requirement is written as all of its criteria; without the requirements it stays "1".
 */
export function expandToCriteria(
  ids: readonly string[],
  requirements: RequirementsContent | undefined,
): string[] {
  if (!requirements) return [...ids];
  const criteriaOf = criteriaByRequirement(requirements);
  const expanded = ids.flatMap((id) => {
    const criteria = id.includes(".") ? undefined : criteriaOf.get(id);
    return criteria && criteria.length > 0 ? criteria : [id];
  });
  return [...new Set(expanded)];
}

/** "1.1, 2" for [REQ-001.1, REQ-002]; "none" for an empty list. */
export function formatRequirementRefs(ids: readonly string[]): string {
  if (ids.length === 0) return noneMarker;
  return ids.map((id) => refToMarkdown(id) ?? id).join(", ");
}

/**
 * Parses "1.1, 2.3", tolerating Kiro-style variants: "Requirement 1", "1.1-1.3"
 * (a range within one requirement) and "none". Tokens that are none of these
 * come back in `invalid`.
 */
export function parseRequirementRefs(text: string): { ids: string[]; invalid: string[] } {
  const ids: string[] = [];
  const invalid: string[] = [];
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.toLowerCase() === noneMarker) return { ids, invalid };
  for (const raw of trimmed.split(/[,;]/)) {
    const token = raw
      .trim()
      .replace(/^(?:requirements?|req\.?)\s*/i, "")
      .trim();
    if (!token) continue;
    const range = /^(\d+)\.(\d+)\s*[-–]\s*(\d+)\.(\d+)$/.exec(token);
    if (range && range[1] === range[3] && Number(range[2]) <= Number(range[4])) {
      for (let m = Number(range[2]); m <= Number(range[4]); m++) {
        const id = markdownRefToId(`${range[1]}.${m}`);
        if (id) ids.push(id);
      }
      continue;
    }
    const id = markdownRefToId(token);
    if (id) ids.push(id);
    else invalid.push(raw.trim());
  }
  return { ids, invalid };
}

/** Why the references cannot be accepted in this scope, or null when they can. */
export function referenceProblem(ids: readonly string[], scope: RequirementScope): string | null {
  if (ids.length === 0 || scope.kind === "unchecked") return null;
  if (scope.kind === "missing") {
    return `refers to requirements (${formatRequirementRefs(ids)}) but requirements.md is missing and no current requirements were given`;
  }
  for (const id of ids) {
    const number = refToMarkdown(id) ?? id;
    if (!scope.requirementIds.has(requirementIdOf(id))) {
      return `refers to Requirement ${number.split(".")[0]}, which does not exist`;
    }
    if (id.includes(".") && !scope.criterionIds.has(id)) {
      return `refers to acceptance criterion ${number}, which does not exist`;
    }
  }
  return null;
}

/** "1, 3" for ["1", "3"]; "none" for an empty list. */
export function formatTaskKeys(keys: readonly string[]): string {
  return keys.length === 0 ? noneMarker : keys.join(", ");
}

/** Keys from "1, 3" ("none" is the empty list). */
export function parseTaskKeys(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.toLowerCase() === noneMarker) return [];
  return trimmed
    .split(/[,;]/)
    .map((key) => key.trim().replace(/^task\s+/i, ""))
    .filter(Boolean);
}

/**
 * A `_Label: value_` line (underscores optional); the value, or null when the
 * line is something else. Labels are matched case-insensitively.
 */
export function labelledLine(
  text: string,
  labels: readonly string[],
): { value: string; emphasized: boolean } | null {
  const match = /^(_?)([A-Za-z][A-Za-z ]*?):\s*(.*?)\s*$/.exec(text.trim());
  if (!match) return null;
  if (!labels.some((label) => label.toLowerCase() === match[2]!.toLowerCase())) return null;
  let value = match[3]!;
  const emphasized = match[1] === "_";
  if (emphasized) value = value.replace(/_$/, "").trim();
  return { value, emphasized };
}
