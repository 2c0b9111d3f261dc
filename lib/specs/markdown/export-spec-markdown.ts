import type {
  DesignContent,
  RequirementsContent,
  SpecTask,
  TasksContent,
} from "../artifact-schemas";
import { withIndefiniteArticle } from "../indefinite-article";
import { parseRequirementRef } from "../requirement-refs";
import { oneLine, trimBlankLines } from "./markdown-blocks";
import { expandToCriteria, formatRequirementRefs, formatTaskKeys } from "./reference-lines";

/*
 * Writes a spec in the layout Kiro popularised (.kiro/specs/<slug>/), which
 * importSpecMarkdown reads back to the same content. Conventions:
 *
 * requirements.md  "### Requirement N: Title" for REQ-00N; criterion REQ-00N.M
 *                  is item "M." of its Acceptance Criteria list (so "N.M").
 * design.md        Overview ends with "_Requirements: 1, 2_" (the requirements
 *                  the design serves; "none" when empty). Each diagram is a
 *                  "### Title" heading and a ```mermaid block at the end of
 *                  Architecture. Each component is a "### Name" heading, its
 *                  responsibility, and "_Requirements: 1.1, 2_" when it serves any.
 *                  Risks are "- **Risk:** … — **Mitigation:** …" bullets.
 * tasks.md         "- [ ] 1. Title" ("[x]" when done: exportSpec sets `done` from
 *                  the spec's task rows once it executes; before that, from the
 *                  artifact). A sub-task "1.1" is indented two spaces per level
 *                  and has no dot after its key. Detail bullets: description
 *                  lines, "Files: a, b", "Phase: X", "Estimate: 1h 30m",
 *                  "_Requirements: 1.1, 1.2, 2.3_": the criteria the task
 *                  satisfies. A reference to a whole requirement is written as
 *                  all its criteria (when requirements are exported with it),
 *                  which import reads back as those criteria: the one change a
 *                  round trip makes to references (exporting again is stable).
 *                  On import "[x]" is kept as the task's `done` flag, which is
 *                  informational: approving the graph still queues every task,
 *                  since work done elsewhere is not on this spec's branches.
 *                  Dependencies: a task without a "_Depends on:_" line depends
 *                  on the task listed just before it (the first on nothing), the
 *                  order Kiro works through the list. The line is written only
 *                  when the task's dependencies differ from that default, and
 *                  then lists all of them ("none" for no dependency).
 * Unknown sections (extraSections) come last in every file, verbatim.
 *
 * Single-line fields (titles, criteria, names) are written on one line, and
 * multi-line fields without surrounding blank lines; that is the only
 * normalisation a round trip applies.
 */

export type SpecMarkdownFileName = "requirements.md" | "design.md" | "tasks.md";
export type SpecMarkdownFiles = Partial<Record<SpecMarkdownFileName, string>>;

export interface ExportSpecMarkdownInput {
  /** The spec's title. The Kiro layout has fixed document titles, so it names the folder, not a heading. */
  title: string;
  requirements?: RequirementsContent;
  design?: DesignContent;
  tasks?: TasksContent;
}

/** The Markdown files for the artifacts that exist. */
export function exportSpecMarkdown(input: ExportSpecMarkdownInput): SpecMarkdownFiles {
  const files: SpecMarkdownFiles = {};
  if (input.requirements) files["requirements.md"] = requirementsMarkdown(input.requirements);
  if (input.design) files["design.md"] = designMarkdown(input.design);
  if (input.tasks) files["tasks.md"] = tasksMarkdown(input.tasks, input.requirements);
  return files;
}

/** Joins blocks with one blank line between them; empty blocks vanish. */
function blocks(...parts: (string | false | undefined)[]): string {
  return `${parts.filter((part): part is string => typeof part === "string" && part !== "").join("\n\n")}\n`;
}

function extraSections(sections: { heading: string; body: string }[] | undefined): string[] {
  return (sections ?? []).map((section) =>
    [`## ${oneLine(section.heading)}`, trimBlankLines(section.body)].filter(Boolean).join("\n\n"),
  );
}

function withArticle(role: string): string {
  const text = oneLine(role);
  if (/^(a|an|the|any|every|each|one|some)\s/i.test(text)) return text;
  return withIndefiniteArticle(text);
}

function requirementsMarkdown(content: RequirementsContent): string {
  const requirements = content.requirements.map((requirement) => {
    const number = parseRequirementRef(requirement.id)?.requirement ?? requirement.id;
    const { role, want, benefit } = requirement.userStory;
    const criteria = requirement.acceptanceCriteria.map((criterion) => {
      const m = parseRequirementRef(criterion.id)?.criterion ?? criterion.id;
      return `${m}. ${oneLine(criterion.text)}`;
    });
    return blocks(
      `### Requirement ${number}: ${oneLine(requirement.title)}`,
      `**User Story:** As ${withArticle(role)}, I want ${oneLine(want)}, so that ${oneLine(benefit)}`,
      `#### Acceptance Criteria\n\n${criteria.join("\n")}`,
    ).trimEnd();
  });
  return blocks(
    "# Requirements Document",
    "## Introduction",
    trimBlankLines(content.introduction),
    "## Requirements",
    ...requirements,
    ...extraSections(content.extraSections),
  );
}

function designMarkdown(content: DesignContent): string {
  const diagrams = content.diagrams.map(
    (diagram) =>
      `### ${oneLine(diagram.title)}\n\n\`\`\`mermaid\n${trimBlankLines(diagram.mermaid).trimEnd()}\n\`\`\``,
  );
  const components = content.components.map((component) =>
    blocks(
      `### ${oneLine(component.name)}`,
      trimBlankLines(component.responsibility),
      component.requirementIds.length > 0 &&
        `_Requirements: ${formatRequirementRefs(component.requirementIds)}_`,
    ).trimEnd(),
  );
  const risks = content.risks.map((risk) =>
    risk.mitigation.trim()
      ? `- **Risk:** ${oneLine(risk.risk)} — **Mitigation:** ${oneLine(risk.mitigation)}`
      : `- **Risk:** ${oneLine(risk.risk)}`,
  );
  return blocks(
    "# Design Document",
    "## Overview",
    trimBlankLines(content.overview),
    `_Requirements: ${formatRequirementRefs(content.requirementIds)}_`,
    "## Architecture",
    trimBlankLines(content.architecture),
    ...diagrams,
    "## Components and Interfaces",
    ...components,
    "## Data Models",
    trimBlankLines(content.dataModels),
    "## API Changes",
    trimBlankLines(content.apiChanges),
    "## Error Handling",
    trimBlankLines(content.errorHandling),
    "## Testing Strategy",
    trimBlankLines(content.testingStrategy),
    "## Risks",
    risks.join("\n"),
    ...extraSections(content.extraSections),
  );
}

export function formatEstimate(minutes: number): string {
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}

/** The default dependencies a task gets when tasks.md has no "_Depends on:_" line for it. */
export function implicitDependencies(
  tasks: readonly Pick<SpecTask, "key">[],
  index: number,
): string[] {
  const previous = tasks[index - 1];
  return previous ? [previous.key] : [];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function tasksMarkdown(content: TasksContent, requirements?: RequirementsContent): string {
  const tasks = content.tasks.map((task, index) => {
    const depth = task.key.split(".").length - 1;
    const indent = "  ".repeat(depth);
    const detail = `${indent}  - `;
    const lines = [
      `${indent}- [${task.done ? "x" : " "}] ${task.key}${depth === 0 ? "." : ""} ${oneLine(task.title)}`,
      ...task.description
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => `${detail}${line}`),
    ];
    if (task.files.length > 0) lines.push(`${detail}Files: ${task.files.join(", ")}`);
    lines.push(
      `${detail}Phase: ${task.phase}`,
      `${detail}Estimate: ${formatEstimate(task.estimateMinutes)}`,
    );
    if (task.requirementIds.length > 0) {
      const criteria = expandToCriteria(task.requirementIds, requirements);
      lines.push(`${detail}_Requirements: ${formatRequirementRefs(criteria)}_`);
    }
    if (!sameList(task.dependsOn, implicitDependencies(content.tasks, index))) {
      lines.push(`${detail}_Depends on: ${formatTaskKeys(task.dependsOn)}_`);
    }
    return lines.join("\n");
  });
  return blocks("# Implementation Plan", ...tasks, ...extraSections(content.extraSections));
}
