/**
 * Requirement ids and how they map to the numbers used in Markdown specs.
 *
 * - A requirement id is `REQ-` plus its number, zero-padded to three digits:
 *   REQ-001 is "Requirement 1" in requirements.md, REQ-1234 is "Requirement 1234".
 * - An acceptance criterion id is its requirement id, a dot and the criterion's
 *   number within the requirement, from 1: REQ-001.2 is criterion "1.2".
 * - A reference (from a task or a design component) is either of the two:
 *   "REQ-001" names the whole requirement, "REQ-001.2" one criterion.
 *
 * Only the canonical form (no extra leading zeros) maps back and forth
 * exactly; the validators flag anything else.
 */

export const requirementIdPattern = /^REQ-\d{3,}$/;
export const criterionIdPattern = /^REQ-\d{3,}\.\d+$/;
export const requirementRefPattern = /^REQ-\d{3,}(?:\.\d+)?$/;

/** 1 -> "REQ-001". */
export function requirementIdFromNumber(requirementNumber: number): string {
  return `REQ-${String(requirementNumber).padStart(3, "0")}`;
}

/** (REQ-001, 2) -> "REQ-001.2". */
export function criterionIdFor(requirementId: string, criterionNumber: number): string {
  return `${requirementId}.${criterionNumber}`;
}

/** "REQ-001.2" -> "REQ-001"; a requirement id is returned as is. */
export function requirementIdOf(ref: string): string {
  const dot = ref.indexOf(".");
  return dot === -1 ? ref : ref.slice(0, dot);
}

/** "REQ-001.2" -> { requirement: 1, criterion: 2 }; null when the text is not a reference. */
export function parseRequirementRef(
  ref: string,
): { requirement: number; criterion: number | null } | null {
  const match = /^REQ-(\d{3,})(?:\.(\d+))?$/.exec(ref);
  if (!match) return null;
  return {
    requirement: Number(match[1]),
    criterion: match[2] === undefined ? null : Number(match[2]),
  };
}

/** True when the reference survives the trip to Markdown numbers and back unchanged. */
export function isCanonicalRef(ref: string): boolean {
  const parsed = parseRequirementRef(ref);
  if (!parsed) return false;
  const markdown = refToMarkdown(ref);
  return markdown !== null && markdownRefToId(markdown) === ref;
}

/** "REQ-001.2" -> "1.2", "REQ-003" -> "3"; null for anything else. */
export function refToMarkdown(ref: string): string | null {
  const parsed = parseRequirementRef(ref);
  if (!parsed) return null;
  return parsed.criterion === null
    ? String(parsed.requirement)
    : `${parsed.requirement}.${parsed.criterion}`;
}

/** "1.2" -> "REQ-001.2", "3" -> "REQ-003"; null when the text is not "N" or "N.M". */
export function markdownRefToId(text: string): string | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const requirement = Number(match[1]);
  if (requirement < 1) return null;
  const id = requirementIdFromNumber(requirement);
  if (match[2] === undefined) return id;
  const criterion = Number(match[2]);
  return criterion < 1 ? null : criterionIdFor(id, criterion);
}
