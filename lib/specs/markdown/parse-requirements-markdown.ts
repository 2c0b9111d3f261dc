import type { Requirement, RequirementsContent } from "../artifact-schemas";
import { criterionIdFor, requirementIdFromNumber } from "../requirement-refs";
import {
  bodyText,
  headingAt,
  isBlank,
  type LineError,
  type MarkdownLine,
  normalizeHeading,
  splitSections,
  toLines,
} from "./markdown-blocks";

export type ParseResult<T> = { ok: true; content: T } | { ok: false; errors: LineError[] };

const userStoryLine = /^\*\*(?:User Story|Objective):?\*\*:?\s*(.*)$/i;
const userStoryText = /^as\s+(?:an?\s+)?(.+?),?\s+I\s+want\s+(.+?),?\s+so\s+that\s+(.+)$/i;
const requirementHeading = /^Requirement\s+(\d+)\b\s*(?:[:.\-–—]\s*)?(.*)$/i;
const numberedItem = /^\s*(\d+)[.)]\s+(.*)$/;
const bulletItem = /^\s*[-*+]\s+(.*)$/;

/**
 * Reads requirements.md in the Kiro layout: "### Requirement N" (title
 * optional), a "**User Story:**" line, then "#### Acceptance Criteria" with a
 * numbered list. Requirement N becomes REQ-00N and its item M criterion
 * REQ-00N.M (by position when the list's numbers repeat, as "1. 1. 1." lists do).
 */
export function parseRequirementsMarkdown(source: string): ParseResult<RequirementsContent> {
  const errors: LineError[] = [];
  const { preamble, sections } = splitSections(toLines(source), 2);

  const leading = preamble.filter((line) => headingAt(line, 1) === null);
  const introduction: string[] = [bodyText(leading)];
  const extraSections: { heading: string; body: string }[] = [];
  let requirements: Requirement[] | null = null;

  for (const section of sections) {
    const name = normalizeHeading(section.heading);
    if (name === "introduction") introduction.push(bodyText(section.body));
    else if (name === "requirements" && requirements === null) {
      requirements = parseRequirementList(section.body, errors);
    } else extraSections.push({ heading: section.heading, body: bodyText(section.body) });
  }

  if (requirements === null) {
    errors.push({ line: 1, message: 'No "## Requirements" section' });
    return { ok: false, errors };
  }
  if (requirements.length === 0 && errors.length === 0) {
    const line = sections.find((s) => normalizeHeading(s.heading) === "requirements")!.line;
    errors.push({
      line,
      message: 'The "## Requirements" section has no "### Requirement N" heading',
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    content: {
      introduction: introduction.filter(Boolean).join("\n\n"),
      requirements,
      ...(extraSections.length > 0 ? { extraSections } : {}),
    },
  };
}

function parseRequirementList(lines: MarkdownLine[], errors: LineError[]): Requirement[] {
  const { preamble, sections } = splitSections(lines, 3);
  const stray = preamble.find((line) => !isBlank(line));
  if (stray) {
    errors.push({
      line: stray.number,
      message: 'Text before the first "### Requirement N" heading; move it to the Introduction',
    });
  }

  const seen = new Map<number, number>();
  const requirements: Requirement[] = [];
  for (const section of sections) {
    const heading = requirementHeading.exec(section.heading);
    if (!heading) {
      errors.push({
        line: section.line,
        message: `Expected "### Requirement N: Title", found "### ${section.heading}"`,
      });
      continue;
    }
    const number = Number(heading[1]);
    if (number < 1) {
      errors.push({ line: section.line, message: "Requirements are numbered from 1" });
      continue;
    }
    const earlier = seen.get(number);
    if (earlier !== undefined) {
      errors.push({
        line: section.line,
        message: `Requirement ${number} appears twice (also on line ${earlier})`,
      });
      continue;
    }
    seen.set(number, section.line);
    const requirement = parseRequirement(number, heading[2]!.trim(), section, errors);
    if (requirement) requirements.push(requirement);
  }
  return requirements;
}

function parseRequirement(
  number: number,
  title: string,
  section: { line: number; body: MarkdownLine[] },
  errors: LineError[],
): Requirement | null {
  const id = requirementIdFromNumber(number);
  const { preamble, sections } = splitSections(section.body, 4);
  const before = errors.length;

  let story: Requirement["userStory"] | null = null;
  for (const line of preamble) {
    if (isBlank(line) || line.inFence || /^\s*(?:-{3,}|\*{3,})\s*$/.test(line.text)) continue;
    const storyMatch = userStoryLine.exec(line.text.trim());
    if (storyMatch && story === null) {
      const parts = userStoryText.exec(storyMatch[1]!.trim());
      if (!parts) {
        errors.push({
          line: line.number,
          message: 'The user story must read "As a …, I want …, so that …"',
        });
        story = { role: "", want: "", benefit: "" };
      } else story = { role: parts[1]!.trim(), want: parts[2]!.trim(), benefit: parts[3]!.trim() };
    } else if (numberedItem.test(line.text)) {
      errors.push({
        line: line.number,
        message: `Numbered criterion outside an "#### Acceptance Criteria" section in Requirement ${number}`,
      });
    } else {
      errors.push({
        line: line.number,
        message: `Unexpected text in Requirement ${number}: only the "**User Story:**" line and the Acceptance Criteria belong here`,
      });
    }
  }
  if (story === null) {
    errors.push({
      line: section.line,
      message: `Requirement ${number} has no "**User Story:**" line`,
    });
  }

  const criteriaSections = sections.filter(
    (s) => normalizeHeading(s.heading) === "acceptance criteria",
  );
  for (const other of sections) {
    if (criteriaSections.includes(other)) continue;
    errors.push({
      line: other.line,
      message: `Unknown subsection "#### ${other.heading}" in Requirement ${number}; only "#### Acceptance Criteria" is allowed`,
    });
  }
  if (criteriaSections.length > 1) {
    errors.push({
      line: criteriaSections[1]!.line,
      message: `Requirement ${number} has two Acceptance Criteria sections`,
    });
  }
  const criteriaSection = criteriaSections[0];
  if (!criteriaSection) {
    errors.push({
      line: section.line,
      message: `Requirement ${number} has no "#### Acceptance Criteria" section`,
    });
    return null;
  }

  const items = parseCriteria(criteriaSection.body, errors);
  if (items.length === 0) {
    errors.push({
      line: criteriaSection.line,
      message: `Requirement ${number} has no acceptance criteria`,
    });
  }
  if (errors.length > before || !story) return null;

  // Literal numbers keep references like "2.3" stable; repeated numbers ("1. 1. 1.") are positional.
  const numbers = items.map((item, i) => item.number ?? i + 1);
  const positional = new Set(numbers).size !== numbers.length || numbers.some((n) => n < 1);
  const acceptanceCriteria = items.map((item, i) => ({
    id: criterionIdFor(id, positional ? i + 1 : numbers[i]!),
    text: item.text,
  }));
  return {
    id,
    title: title || titleFromWant(story.want, number),
    userStory: story,
    acceptanceCriteria,
  };
}

function parseCriteria(lines: MarkdownLine[], errors: LineError[]) {
  const items: { number: number | null; text: string; line: number }[] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    const indent = /^\s*/.exec(line.text)![0].length;
    const numbered = numberedItem.exec(line.text);
    const bullet = bulletItem.exec(line.text);
    if (indent < 2 && numbered) {
      items.push({ number: Number(numbered[1]), text: numbered[2]!.trim(), line: line.number });
    } else if (indent < 2 && bullet) {
      items.push({ number: null, text: bullet[1]!.trim(), line: line.number });
    } else if (indent >= 2 && items.length > 0) {
      // A wrapped criterion, or a list nested under it: one sentence either way.
      const last = items[items.length - 1]!;
      last.text = `${last.text} ${line.text.trim().replace(/^(?:[-*+]|\d+[.)])\s+/, "")}`;
    } else {
      errors.push({
        line: line.number,
        message: 'Expected a numbered criterion ("1. WHEN … THE SYSTEM SHALL …")',
      });
    }
  }
  for (const item of items) {
    if (!item.text) errors.push({ line: item.line, message: "Empty acceptance criterion" });
  }
  return items;
}

/** Kiro headings have no title; the user story's "want" makes a readable one. */
function titleFromWant(want: string, number: number): string {
  const words = want
    .replace(/^to\s+/i, "")
    .replace(/[.!?]+$/, "")
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return `Requirement ${number}`;
  const text = words.slice(0, 8).join(" ") + (words.length > 8 ? "…" : "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
