import { z } from "zod";
import { TaskPhase } from "@/lib/generated/prisma/enums";
import { findCycle } from "@/lib/tasks/graph";
import {
  criterionIdPattern,
  isCanonicalRef,
  requirementIdOf,
  requirementIdPattern,
  requirementRefPattern,
} from "./requirement-refs";

/*
 * The three phase artifacts, stored as JSON in SpecArtifact.content and given
 * to the model as its tool's input schema. The schemas stay plain (objects,
 * arrays, strings, enums, patterns) so `z.toJSONSchema` yields something a
 * model can fill; rules that span fields live in the validate* functions
 * below. Id conventions: see ./requirement-refs.ts.
 */

const markdown = (description: string) => z.string().describe(`${description} (Markdown).`);

const extraSectionsSchema = z
  .array(
    z.object({
      heading: z.string().min(1).describe("The section's heading text, without the leading #s."),
      body: z.string().describe("The section's Markdown, kept verbatim."),
    }),
  )
  .optional()
  .describe(
    "Sections the spec's Markdown had that this structure does not model; kept so an import/export round trip loses nothing. Leave out when there are none.",
  );

const requirementIdSchema = z
  .string()
  .regex(requirementIdPattern, "A requirement id looks like REQ-001")
  .describe("Requirement id: REQ- and a zero-padded number, e.g. REQ-001.");

const requirementRefSchema = z
  .string()
  .regex(requirementRefPattern, "A requirement reference looks like REQ-001 or REQ-001.2")
  .describe(
    "A whole requirement (REQ-001) or one of its acceptance criteria (REQ-001.2, its second criterion).",
  );

export const requirementsContentSchema = z.object({
  introduction: markdown("What the feature is and why, in a short paragraph or two"),
  requirements: z
    .array(
      z.object({
        id: requirementIdSchema,
        title: z
          .string()
          .min(1)
          .describe("A short name for the requirement, e.g. 'Export to CSV'."),
        userStory: z
          .object({
            role: z.string().min(1).describe("Who benefits, without an article: 'project lead'."),
            want: z.string().min(1).describe("What they want: 'to export the board as CSV'."),
            benefit: z.string().min(1).describe("Why: 'I can share progress with finance'."),
          })
          .describe("Read as: As a <role>, I want <want>, so that <benefit>."),
        acceptanceCriteria: z
          .array(
            z.object({
              id: z
                .string()
                .regex(criterionIdPattern, "A criterion id looks like REQ-001.1")
                .describe(
                  "The requirement id, a dot and the criterion's number from 1: REQ-001.1, REQ-001.2.",
                ),
              text: z
                .string()
                .min(1)
                .describe(
                  "One EARS sentence with exactly one SHALL, e.g. 'WHEN the user saves THE SYSTEM SHALL store the draft', 'WHILE offline THE SYSTEM SHALL queue edits', 'IF the upload fails THEN THE SYSTEM SHALL show the reason', 'WHERE SSO is enabled THE SYSTEM SHALL hide the password field', 'THE SYSTEM SHALL log every sign-in'.",
                ),
            }),
          )
          .min(1)
          .describe("Testable acceptance criteria, at least one."),
      }),
    )
    .min(1)
    .describe("The requirements, numbered REQ-001, REQ-002, ..."),
  extraSections: extraSectionsSchema,
});
export type RequirementsContent = z.infer<typeof requirementsContentSchema>;
export type Requirement = RequirementsContent["requirements"][number];
export type AcceptanceCriterion = Requirement["acceptanceCriteria"][number];

export const diagramKinds = ["sequence", "flowchart", "class", "state", "er", "other"] as const;
export type DiagramKind = (typeof diagramKinds)[number];

export const designContentSchema = z.object({
  overview: markdown("What will be built and how it meets the requirements, in a few sentences"),
  architecture: markdown(
    "How the pieces fit: modules, boundaries, data flow. Put Mermaid in `diagrams`, not here",
  ),
  components: z
    .array(
      z.object({
        name: z.string().min(1).describe("Component name, e.g. 'Export service'."),
        responsibility: markdown("What it does and its interface"),
        requirementIds: z
          .array(requirementRefSchema)
          .describe("The requirements (or criteria) this component serves."),
      }),
    )
    .describe("The components that change or are added."),
  dataModels: markdown("Data model changes: tables, fields, types"),
  apiChanges: markdown("API changes: routes, payloads, status codes"),
  diagrams: z
    .array(
      z.object({
        title: z.string().min(1).describe("What the diagram shows, e.g. 'Export flow'."),
        kind: z
          .enum(diagramKinds)
          .describe(
            "Matches the Mermaid header: sequenceDiagram -> sequence, flowchart/graph -> flowchart, classDiagram -> class, stateDiagram -> state, erDiagram -> er.",
          ),
        mermaid: z
          .string()
          .min(1)
          .describe(
            "Valid Mermaid source without the ``` fence, e.g. 'sequenceDiagram\\n  A->>B: hi'.",
          ),
      }),
    )
    .min(1)
    .describe("At least one Mermaid diagram, typically a sequence diagram of the main flow."),
  errorHandling: markdown("What can fail and what the system does then"),
  testingStrategy: markdown("Unit, integration and end-to-end tests that prove the requirements"),
  risks: z
    .array(
      z.object({
        risk: z.string().min(1).describe("What could go wrong."),
        mitigation: z.string().describe("How the design limits it."),
      }),
    )
    .describe("Risks with their mitigations."),
  requirementIds: z
    .array(requirementIdSchema)
    .describe("Every requirement id the design serves (REQ-001, ...)."),
  extraSections: extraSectionsSchema,
});
export type DesignContent = z.infer<typeof designContentSchema>;
export type DesignComponent = DesignContent["components"][number];
export type DesignDiagram = DesignContent["diagrams"][number];

/** INITIAL, IMPLEMENTATION, INTEGRATION, REFACTORING: the database enum, so the two cannot drift. */
export const taskPhases = Object.values(TaskPhase);

export const taskKeyPattern = /^\d+(?:\.\d+)*$/;

const taskKeySchema = z
  .string()
  .regex(taskKeyPattern, "A task key looks like 1 or 1.2")
  .describe("The task's number as in tasks.md: '1', '2', sub-task '2.1'.");

export const tasksContentSchema = z.object({
  tasks: z
    .array(
      z.object({
        key: taskKeySchema,
        title: z.string().min(1).describe("Imperative title, e.g. 'Add the export route'."),
        description: z
          .string()
          .describe("What to do, one step per line; enough for an agent working alone."),
        phase: z
          .enum(TaskPhase)
          .describe(
            "INITIAL (setup, scaffolding), IMPLEMENTATION (a requirement's logic), INTEGRATION (wiring pieces together), REFACTORING (tests, clean-up).",
          ),
        estimateMinutes: z.int().min(1).describe("Estimated minutes of focused work."),
        files: z.array(z.string().min(1)).describe("Repository paths the task likely touches."),
        dependsOn: z
          .array(taskKeySchema)
          .describe("Keys of the tasks that must be done first. No cycles; only existing keys."),
        requirementIds: z
          .array(requirementRefSchema)
          .describe("The requirements (REQ-001) or criteria (REQ-001.2) the task satisfies."),
        done: z.boolean().optional().describe("True once the task is done; leave out otherwise."),
      }),
    )
    .min(1)
    .describe("The tasks in execution-friendly order."),
  extraSections: extraSectionsSchema,
});
export type TasksContent = z.infer<typeof tasksContentSchema>;
export type SpecTask = TasksContent["tasks"][number];

/** A problem found by a cross-field check; `path` is dot-separated like zod issue paths. */
export interface ContentProblem {
  path: string;
  message: string;
}

/**
 * Which requirement references exist. `criterionIds`, when given, makes
 * criterion references (REQ-001.2) strict; without it a criterion reference is
 * accepted when its requirement exists.
 */
export interface KnownRequirements {
  requirementIds: readonly string[];
  criterionIds?: readonly string[];
}

/** Every requirement and criterion id in a requirements document, for `KnownRequirements`. */
export function knownRequirementsOf(content: RequirementsContent): Required<KnownRequirements> {
  return {
    requirementIds: content.requirements.map((r) => r.id),
    criterionIds: content.requirements.flatMap((r) => r.acceptanceCriteria.map((c) => c.id)),
  };
}

function checkRef(ref: string, known: KnownRequirements): string | null {
  if (!known.requirementIds.includes(requirementIdOf(ref))) return `unknown requirement "${ref}"`;
  if (ref.includes(".") && known.criterionIds && !known.criterionIds.includes(ref)) {
    return `unknown acceptance criterion "${ref}"`;
  }
  return null;
}

/** Ids that must be unique, canonical, and (for criteria) belong to their requirement. */
export function validateRequirementsContent(content: RequirementsContent): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const requirementIds = new Set<string>();
  const criterionIds = new Set<string>();
  content.requirements.forEach((requirement, r) => {
    const path = `requirements.${r}.id`;
    if (requirementIds.has(requirement.id)) {
      problems.push({ path, message: `Duplicate requirement id "${requirement.id}"` });
    } else if (!isCanonicalRef(requirement.id)) {
      problems.push({
        path,
        message: `Write "${requirement.id}" as REQ- and three digits, e.g. REQ-001`,
      });
    }
    requirementIds.add(requirement.id);
    requirement.acceptanceCriteria.forEach((criterion, c) => {
      const criterionPath = `requirements.${r}.acceptanceCriteria.${c}.id`;
      if (requirementIdOf(criterion.id) !== requirement.id) {
        problems.push({
          path: criterionPath,
          message: `Criterion "${criterion.id}" must start with its requirement id "${requirement.id}."`,
        });
      } else if (criterionIds.has(criterion.id)) {
        problems.push({ path: criterionPath, message: `Duplicate criterion id "${criterion.id}"` });
      } else if (!isCanonicalRef(criterion.id)) {
        problems.push({
          path: criterionPath,
          message: `Criterion "${criterion.id}" is not numbered from 1`,
        });
      }
      criterionIds.add(criterion.id);
    });
  });
  return problems;
}

/**
 * Mermaid's header keyword as a `DiagramKind` (`sequenceDiagram` -> "sequence");
 * comment lines and front matter are skipped.
 */
export function mermaidDiagramKind(source: string): DiagramKind {
  const lines = source.split(/\r?\n/).map((line) => line.trim());
  let index = 0;
  if (lines[index] === "---") {
    const close = lines.indexOf("---", index + 1);
    index = close === -1 ? lines.length : close + 1;
  }
  const header = lines.slice(index).find((line) => line !== "" && !line.startsWith("%%")) ?? "";
  const keyword = /^[A-Za-z][\w-]*/.exec(header)?.[0] ?? "";
  if (keyword === "sequenceDiagram") return "sequence";
  if (keyword === "flowchart" || keyword === "graph") return "flowchart";
  if (keyword === "classDiagram") return "class";
  if (keyword === "stateDiagram" || keyword === "stateDiagram-v2") return "state";
  if (keyword === "erDiagram") return "er";
  return "other";
}

/** References to unknown requirements, and diagram kinds that contradict their Mermaid header. */
export function validateDesignContent(
  content: DesignContent,
  known: KnownRequirements,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  content.requirementIds.forEach((ref, i) => {
    const problem = checkRef(ref, known);
    if (problem)
      problems.push({ path: `requirementIds.${i}`, message: `The design serves an ${problem}` });
  });
  content.components.forEach((component, c) => {
    component.requirementIds.forEach((ref, i) => {
      const problem = checkRef(ref, known);
      if (problem) {
        problems.push({
          path: `components.${c}.requirementIds.${i}`,
          message: `Component "${component.name}" serves an ${problem}`,
        });
      }
    });
  });
  content.diagrams.forEach((diagram, d) => {
    const actual = mermaidDiagramKind(diagram.mermaid);
    if (actual !== diagram.kind) {
      problems.push({
        path: `diagrams.${d}.kind`,
        message: `Diagram "${diagram.title}" is marked ${diagram.kind} but its Mermaid is ${actual}`,
      });
    }
  });
  return problems;
}

/**
 * The task graph's cross-field rules: unique keys, dependencies on existing
 * tasks only, no self-dependency, no cycle (named, e.g. "1 -> 3 -> 1"), and
 * requirement references that exist.
 */
export function validateTasksContent(
  content: TasksContent,
  known: KnownRequirements,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const { tasks } = content;
  const firstIndex = new Map<string, number>();
  tasks.forEach((task, t) => {
    const first = firstIndex.get(task.key);
    if (first === undefined) firstIndex.set(task.key, t);
    else {
      problems.push({
        path: `tasks.${t}.key`,
        message: `Duplicate task key "${task.key}" (tasks #${first + 1} and #${t + 1})`,
      });
    }
  });

  tasks.forEach((task, t) => {
    task.dependsOn.forEach((dep, d) => {
      const path = `tasks.${t}.dependsOn.${d}`;
      if (dep === task.key) {
        problems.push({ path, message: `Task ${task.key} depends on itself` });
      } else if (!firstIndex.has(dep)) {
        problems.push({ path, message: `Task ${task.key} depends on unknown task "${dep}"` });
      }
    });
    task.requirementIds.forEach((ref, i) => {
      const problem = checkRef(ref, known);
      if (problem) {
        problems.push({
          path: `tasks.${t}.requirementIds.${i}`,
          message: `Task ${task.key} covers an ${problem}`,
        });
      }
    });
  });

  // Self-dependencies are reported above; leave them out so a longer cycle is still found.
  const cycle = findCycle(
    tasks.map((task) => ({
      key: task.key,
      dependsOn: task.dependsOn.filter((dep) => dep !== task.key),
    })),
  );
  if (cycle) {
    problems.push({
      path: `tasks.${firstIndex.get(cycle[0]!)}.dependsOn`,
      message: `Dependency cycle: ${cycle.join(" -> ")}`,
    });
  }
  return problems;
}

/** Requirement ids that no task covers, directly or through one of their criteria. */
export function uncoveredRequirements(
  content: TasksContent,
  requirementIds: readonly string[],
): string[] {
  const covered = new Set(
    content.tasks.flatMap((task) => task.requirementIds.map(requirementIdOf)),
  );
  return requirementIds.filter((id) => !covered.has(id));
}
