import type { StructuredRequest } from "@/lib/agents/llm-provider";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import type { DesignContent, RequirementsContent, TasksContent } from "./artifact-schemas";
import { artifactSchemas } from "./validate-artifact";

export interface PhaseInput {
  phase: SpecPhase;
  ticket: { title: string; description: string; type: string; labels: string[] };
  project: { name: string; defaultBranch: string };
  requirements?: RequirementsContent;
  design?: DesignContent;
  /** The version being replaced and what the reviewer asked to change. */
  previous?: unknown;
  feedback?: string;
  /** Problems found in the model's last task graph, for a repair round. */
  repairProblems?: string[];
  previousTasks?: TasksContent;
}

const shared =
  "You are a senior engineer writing one part of a spec for a coding task. Be concrete and brief; no filler. " +
  "Answer only by calling the tool you are given.";

const phaseBrief: Record<
  SpecPhase,
  { role: StructuredRequest<unknown>["role"]; tool: string; brief: string }
> = {
  REQUIREMENTS: {
    role: "planner",
    tool: "write_requirements",
    brief:
      "Write the requirements in EARS form. Number them REQ-001, REQ-002, ... Each has a user story and acceptance " +
      "criteria; every criterion is one EARS sentence using exactly one SHALL: 'WHEN <trigger> THE SYSTEM SHALL <response>', " +
      "'WHILE <state> THE SYSTEM SHALL ...', 'IF <unwanted condition> THEN THE SYSTEM SHALL ...', 'WHERE <feature> THE SYSTEM SHALL ...', " +
      "or 'THE SYSTEM SHALL ...'. Avoid vague words (fast, user-friendly, etc.).",
  },
  DESIGN: {
    role: "planner",
    tool: "write_design",
    brief:
      "Write the technical design that satisfies the approved requirements: overview, architecture, components (each " +
      "naming the requirement ids it serves), data model changes, API changes, at least one Mermaid sequence or flowchart " +
      "diagram (valid Mermaid syntax), error handling, testing strategy and risks with mitigations.",
  },
  TASKS: {
    role: "task-writer",
    tool: "write_tasks",
    brief:
      "Break the approved design into a small graph of tasks an agent can do one at a time in a git worktree. Keys are " +
      "'1', '2', ... (sub-tasks '1.1'). Each task has a phase (INITIAL, IMPLEMENTATION, INTEGRATION, REFACTORING), an " +
      "estimate in minutes, the files it likely touches, the keys it depends on (no cycles; only existing keys) and the " +
      "requirement ids it covers. Every requirement must be covered by at least one task.",
  },
};

/** The structured request for one phase: prompt text for a model, structured context for the offline author. */
export function phaseRequest(input: PhaseInput): StructuredRequest<unknown> {
  const { role, tool, brief } = phaseBrief[input.phase];
  const parts = [
    `Project: ${input.project.name} (default branch ${input.project.defaultBranch}).`,
    `Ticket (${input.ticket.type.toLowerCase()}): ${input.ticket.title}`,
    input.ticket.description ? `Description:\n${input.ticket.description}` : "",
    input.requirements
      ? `Approved requirements (JSON):\n${JSON.stringify(input.requirements)}`
      : "",
    input.design ? `Approved design (JSON):\n${JSON.stringify(input.design)}` : "",
    input.previous && input.feedback
      ? `Your previous version (JSON):\n${JSON.stringify(input.previous)}\n\nThe reviewer asked for these changes:\n${input.feedback}`
      : "",
    input.repairProblems?.length
      ? `Your last task graph had these problems; return a corrected graph:\n- ${input.repairProblems.join("\n- ")}\n\nLast graph (JSON):\n${JSON.stringify(input.previousTasks)}`
      : "",
  ];
  return {
    role,
    purpose: input.phase.toLowerCase(),
    system: `${shared}\n\n${brief}`,
    prompt: parts.filter(Boolean).join("\n\n"),
    toolName: tool,
    toolDescription: `Record the ${input.phase.toLowerCase()} for this ticket.`,
    schema: artifactSchemas[input.phase],
    context: {
      ticket: input.ticket,
      requirements: input.requirements,
      design: input.design,
      previous: input.previous,
      feedback: input.feedback,
      repairProblems: input.repairProblems,
      previousTasks: input.previousTasks,
    },
    maxTokens: 8000,
  };
}
