import { describe, expect, it } from "vitest";
import { topologicalOrder } from "@/lib/tasks/graph";
import {
  type DesignContent,
  designContentSchema,
  knownRequirementsOf,
  type RequirementsContent,
  requirementsContentSchema,
  type TasksContent,
  taskPhases,
  tasksContentSchema,
  uncoveredRequirements,
  validateDesignContent,
  validateRequirementsContent,
  validateTasksContent,
} from "./artifact-schemas";
import { lintEars } from "./ears";
import { exportSpecMarkdown } from "./markdown/export-spec-markdown";
import { importSpecMarkdown } from "./markdown/import-spec-markdown";
import {
  authorDesign,
  authorRequirements,
  authorTasks,
  type OfflineAuthorContext,
  offlineAuthors,
  offlineNote,
  ticketStatements,
} from "./offline-authors";

type Ticket = OfflineAuthorContext["ticket"];

const longDescription = [
  "# Background",
  "",
  "Our customers run large boards and the current export times out. ".repeat(3),
  "",
  ...Array.from(
    { length: 12 },
    (_, i) => `- Users can filter export number ${i + 1} by label and status`,
  ),
  "",
  "```ts",
  "export const limit = 10_000; // must not leak into requirements",
  "```",
  "",
  `The export should handle "quoted" titles, commas, and/or newlines quickly, etc. ${"Very long sentence ".repeat(40)}.`,
].join("\n");

const tickets: Record<string, Ticket> = {
  feature: {
    title: "Export the board as CSV",
    description:
      "Project leads need to share progress with finance.\n\n- Users can export the board as a CSV file from the board page\n- Exports larger than 10k tasks should be refused\n- Viewers must not see the export button",
    type: "FEATURE",
    labels: ["board"],
  },
  bugfix: {
    title: "Sign-out leaves the session cookie",
    description:
      "After signing out, reloading the page shows the dashboard again. The cookie is never cleared.",
    type: "BUGFIX",
    labels: [],
  },
  empty: { title: "Add dark mode", description: "", type: "FEATURE", labels: [] },
  long: {
    title: 'Faster "exports" for big boards; really!',
    description: longDescription,
    type: "REFACTOR",
    labels: ["perf"],
  },
  docs: {
    title: "Document the runner",
    description: "Explain how to register a runner. Show the token scopes.",
    type: "DOCS",
    labels: [],
  },
  blank: { title: "", description: "   \n\n", type: "CHORE", labels: [] },
};

/** Checks the small Mermaid subset the offline design writes, as Mermaid's sequence grammar reads it. */
function checkSequenceDiagram(source: string): string[] {
  const problems: string[] = [];
  const lines = source
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines[0] !== "sequenceDiagram") problems.push(`header is "${lines[0]}"`);
  const participants = new Set<string>();
  let depth = 0;
  for (const line of lines.slice(1)) {
    const declared = /^(?:actor|participant)\s+([A-Za-z][\w]*)(?:\s+as\s+[^;#:]+)?$/.exec(line);
    const message = /^([A-Za-z]\w*)\s*(?:->>|-->>|->|-->)\s*([A-Za-z]\w*)\s*:\s*([^;#]+)$/.exec(
      line,
    );
    if (declared) participants.add(declared[1]!);
    else if (message) {
      for (const name of [message[1]!, message[2]!])
        if (!participants.has(name)) problems.push(`undeclared ${name}`);
    } else if (/^alt\s+\S/.test(line)) depth++;
    else if (/^else(\s|$)/.test(line)) {
      if (depth === 0) problems.push("else outside alt");
    } else if (line === "end") {
      if (depth-- === 0) problems.push("end without alt");
    } else problems.push(`unreadable line "${line}"`);
  }
  if (depth !== 0) problems.push("unclosed alt");
  return problems;
}

function draftAll(ticket: Ticket) {
  const requirements = authorRequirements({ ticket });
  const design = authorDesign({ ticket, requirements });
  const tasks = authorTasks({ ticket, requirements, design });
  return { requirements, design, tasks };
}

function expectValidSpec(spec: {
  requirements: RequirementsContent;
  design: DesignContent;
  tasks: TasksContent;
}) {
  const { requirements, design, tasks } = spec;
  requirementsContentSchema.parse(requirements);
  designContentSchema.parse(design);
  tasksContentSchema.parse(tasks);
  const known = knownRequirementsOf(requirements);
  expect(validateRequirementsContent(requirements)).toEqual([]);
  expect(validateDesignContent(design, known)).toEqual([]);
  expect(validateTasksContent(tasks, known)).toEqual([]);
  // The lead's pipeline checks against requirement ids only; that must pass too.
  expect(validateTasksContent(tasks, { requirementIds: known.requirementIds })).toEqual([]);
  expect(uncoveredRequirements(tasks, known.requirementIds)).toEqual([]);
  expect(() => topologicalOrder(tasks.tasks)).not.toThrow();
  expect(design.requirementIds).toEqual(known.requirementIds);
}

describe.each(Object.entries(tickets))("offline authors for the %s ticket", (_name, ticket) => {
  const spec = draftAll(ticket);

  it("produce content that passes the schemas and the cross-field checks", () => {
    expectValidSpec(spec);
  });

  it("write requirements whose every criterion is clean EARS", () => {
    const { requirements } = spec;
    expect(requirements.requirements.length).toBeGreaterThanOrEqual(1);
    expect(requirements.requirements.length).toBeLessThanOrEqual(6);
    expect(requirements.introduction).toContain(offlineNote);
    for (const requirement of requirements.requirements) {
      expect(requirement.acceptanceCriteria.length).toBeGreaterThanOrEqual(1);
      expect(requirement.acceptanceCriteria.length).toBeLessThanOrEqual(3);
      for (const criterion of requirement.acceptanceCriteria) {
        const lint = lintEars(criterion.text);
        expect(lint, criterion.text).toMatchObject({ issues: [] });
        expect(lint.pattern, criterion.text).not.toBeNull();
      }
    }
  });

  it("write a design with a sequence diagram in valid Mermaid", () => {
    const sequence = spec.design.diagrams.find((d) => d.kind === "sequence");
    expect(sequence).toBeDefined();
    expect(checkSequenceDiagram(sequence!.mermaid)).toEqual([]);
    expect(spec.design.overview).toContain(offlineNote);
  });

  it("write 3 to 6 tasks across the four phases", () => {
    const { tasks } = spec.tasks;
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    expect(tasks.length).toBeLessThanOrEqual(6);
    expect(new Set(tasks.map((t) => t.phase))).toEqual(new Set(taskPhases));
    expect(tasks[0]).toMatchObject({ phase: "INITIAL", dependsOn: [] });
  });

  it("are deterministic", () => {
    expect(draftAll(ticket)).toEqual(spec);
  });

  it("survive a Markdown export and import unchanged", () => {
    const files = exportSpecMarkdown({ title: ticket.title, ...spec });
    expect(importSpecMarkdown(files)).toEqual({ ok: true, ...spec });
  });
});

describe("ticketStatements", () => {
  it("splits bullets and sentences, and drops code, headings and fragments", () => {
    expect(
      ticketStatements(
        "# Goal\nUsers can export. It must be fast!\n\n- [ ] Add a button\n* ok\n```\ncode here\n```",
      ),
    ).toEqual(["Users can export", "It must be fast", "Add a button"]);
  });

  it("keeps at most six requirements and says how many points were left out", () => {
    const requirements = authorRequirements({ ticket: tickets.long! });
    expect(requirements.requirements).toHaveLength(6);
    expect(requirements.introduction).toMatch(/has \d+ more points than the 6 drafted here/);
  });

  it("uses the ticket title when there is no description", () => {
    const requirements = authorRequirements({ ticket: tickets.empty! });
    expect(requirements.requirements).toHaveLength(1);
    expect(requirements.requirements[0]!.acceptanceCriteria[0]!.text).toContain('"Add dark mode"');
  });
});

describe("feedback", () => {
  const ticket = tickets.feature!;
  const feedback = 'Also export archived tasks, with an "archived" column';

  it("revises the previous requirements, keeping a reviewer's edits and adding the feedback", () => {
    const previous = authorRequirements({ ticket });
    previous.requirements[0]!.title = "Edited by a human";
    const revised = authorRequirements({ ticket, previous, feedback });

    expect(revised.requirements.slice(0, -1)).toEqual(previous.requirements);
    const added = revised.requirements[revised.requirements.length - 1]!;
    expect(added.id).toBe("REQ-005");
    expect(added.acceptanceCriteria[0]!.text).toContain(
      "Also export archived tasks, with an 'archived' column",
    );
    expect(lintEars(added.acceptanceCriteria[0]!.text).issues).toEqual([]);
    expect(revised.introduction).toContain("Revised for reviewer feedback");
    expect(validateRequirementsContent(revised)).toEqual([]);
  });

  it("drafts afresh plus the feedback when there is no usable previous version", () => {
    const revised = authorRequirements({ ticket, previous: { nonsense: true }, feedback });
    expect(revised.requirements.map((r) => r.id)).toEqual([
      "REQ-001",
      "REQ-002",
      "REQ-003",
      "REQ-004",
      "REQ-005",
    ]);
  });

  it("revises the design: the overview and a Reviewer Feedback section show each round", () => {
    const requirements = authorRequirements({ ticket });
    const first = authorDesign({
      ticket,
      requirements,
      previous: authorDesign({ ticket, requirements }),
      feedback,
    });
    const second = authorDesign({
      ticket,
      requirements,
      previous: first,
      feedback: "Name the CSV columns",
    });
    expect(first.overview).toContain(`Revised for reviewer feedback: "Also export archived tasks`);
    expect(second.extraSections).toEqual([
      {
        heading: "Reviewer Feedback",
        body: "- Also export archived tasks, with an 'archived' column\n- Name the CSV columns",
      },
    ]);
    expect(validateDesignContent(second, knownRequirementsOf(requirements))).toEqual([]);
  });

  it("keeps the design in step with requirements that gained a feedback requirement", () => {
    const requirements = authorRequirements({ ticket });
    const revisedRequirements = authorRequirements({ ticket, previous: requirements, feedback });
    const design = authorDesign({
      ticket,
      requirements: revisedRequirements,
      previous: authorDesign({ ticket, requirements }),
      feedback,
    });
    expect(design.requirementIds).toContain("REQ-005");
  });

  it("adds a task for the feedback after every other task, covering what nothing covered", () => {
    const requirements = authorRequirements({ ticket });
    const previous = authorTasks({ ticket, requirements });
    const revisedRequirements = authorRequirements({ ticket, previous: requirements, feedback });
    const revised = authorTasks({ ticket, requirements: revisedRequirements, previous, feedback });

    expect(revised.tasks.slice(0, -1)).toEqual(previous.tasks);
    const added = revised.tasks[revised.tasks.length - 1]!;
    expect(added).toMatchObject({ key: "6", dependsOn: ["5"], requirementIds: ["REQ-005.1"] });
    expect(added.description).toContain("Also export archived tasks");
    expectValidSpec({
      requirements: revisedRequirements,
      design: authorDesign({ ticket, requirements: revisedRequirements }),
      tasks: revised,
    });
  });
});

describe("offlineAuthors", () => {
  it("dispatches by purpose and tolerates a malformed context", () => {
    const ticket = tickets.bugfix!;
    expect(offlineAuthors.requirements({ ticket })).toEqual(authorRequirements({ ticket }));
    expect(offlineAuthors.tasks({ ticket })).toEqual(authorTasks({ ticket }));
    const fallback = offlineAuthors.design({ ticket: 42, requirements: "nope" });
    expect(designContentSchema.safeParse(fallback).success).toBe(true);
  });
});
