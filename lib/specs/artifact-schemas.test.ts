import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type DesignContent,
  designContentSchema,
  mermaidDiagramKind,
  type RequirementsContent,
  requirementsContentSchema,
  type SpecTask,
  tasksContentSchema,
  uncoveredRequirements,
  validateDesignContent,
  validateRequirementsContent,
  validateTasksContent,
} from "./artifact-schemas";

const task = (key: string, dependsOn: string[] = [], requirementIds: string[] = []): SpecTask => ({
  key,
  title: `Task ${key}`,
  description: "",
  phase: "IMPLEMENTATION",
  estimateMinutes: 30,
  files: [],
  dependsOn,
  requirementIds,
});

const requirements: RequirementsContent = {
  introduction: "",
  requirements: [
    {
      id: "REQ-001",
      title: "One",
      userStory: { role: "user", want: "one", benefit: "one" },
      acceptanceCriteria: [
        { id: "REQ-001.1", text: "THE SYSTEM SHALL do one" },
        { id: "REQ-001.2", text: "THE SYSTEM SHALL do two" },
      ],
    },
    {
      id: "REQ-002",
      title: "Two",
      userStory: { role: "user", want: "two", benefit: "two" },
      acceptanceCriteria: [{ id: "REQ-002.1", text: "THE SYSTEM SHALL do three" }],
    },
  ],
};

describe("schemas", () => {
  it.each([
    ["requirements", requirementsContentSchema],
    ["design", designContentSchema],
    ["tasks", tasksContentSchema],
  ] as const)("%s converts to a JSON schema a model can fill", (_name, schema) => {
    const json = z.toJSONSchema(schema) as {
      type: string;
      properties: Record<string, { description?: string }>;
    };
    expect(json.type).toBe("object");
    for (const property of Object.values(json.properties))
      expect(property.description).toBeTruthy();
  });

  it("refuses malformed ids and empty lists", () => {
    expect(requirementsContentSchema.safeParse({ ...requirements, requirements: [] }).success).toBe(
      false,
    );
    const badId = {
      ...requirements,
      requirements: [{ ...requirements.requirements[0]!, id: "R1" }],
    };
    expect(requirementsContentSchema.safeParse(badId).success).toBe(false);
    expect(tasksContentSchema.safeParse({ tasks: [task("1.a")] }).success).toBe(false);
    expect(
      tasksContentSchema.safeParse({ tasks: [{ ...task("1"), estimateMinutes: 0 }] }).success,
    ).toBe(false);
    expect(
      tasksContentSchema.safeParse({ tasks: [{ ...task("1"), phase: "LATER" }] }).success,
    ).toBe(false);
    expect(tasksContentSchema.safeParse({ tasks: [task("1", [], ["REQ-001.2"])] }).success).toBe(
      true,
    );
  });
});

describe("validateTasksContent", () => {
  const known = { requirementIds: ["REQ-001", "REQ-002"] };

  it("accepts a valid graph", () => {
    expect(
      validateTasksContent({ tasks: [task("1"), task("2", ["1"], ["REQ-001.2"])] }, known),
    ).toEqual([]);
  });

  it("reports duplicate keys, dangling and self dependencies", () => {
    const problems = validateTasksContent(
      { tasks: [task("1"), task("2", ["9", "2"]), task("1")] },
      known,
    );
    expect(problems).toEqual([
      { path: "tasks.2.key", message: 'Duplicate task key "1" (tasks #1 and #3)' },
      { path: "tasks.1.dependsOn.0", message: 'Task 2 depends on unknown task "9"' },
      { path: "tasks.1.dependsOn.1", message: "Task 2 depends on itself" },
    ]);
  });

  it("names a cycle", () => {
    const problems = validateTasksContent(
      { tasks: [task("1", ["3"]), task("2"), task("3", ["1"])] },
      known,
    );
    expect(problems).toEqual([
      { path: "tasks.0.dependsOn", message: "Dependency cycle: 1 -> 3 -> 1" },
    ]);
  });

  it("reports references to unknown requirements and, when criteria are given, unknown criteria", () => {
    const content = { tasks: [task("1", [], ["REQ-003", "REQ-001.9"])] };
    expect(validateTasksContent(content, known)).toEqual([
      {
        path: "tasks.0.requirementIds.0",
        message: 'Task 1 covers an unknown requirement "REQ-003"',
      },
    ]);
    expect(
      validateTasksContent(content, { ...known, criterionIds: ["REQ-001.1", "REQ-001.2"] }).map(
        (p) => p.message,
      ),
    ).toEqual([
      'Task 1 covers an unknown requirement "REQ-003"',
      'Task 1 covers an unknown acceptance criterion "REQ-001.9"',
    ]);
  });

  it("lists requirements no task covers, counting criterion references", () => {
    expect(
      uncoveredRequirements({ tasks: [task("1", [], ["REQ-001.2"])] }, ["REQ-001", "REQ-002"]),
    ).toEqual(["REQ-002"]);
  });
});

describe("validateRequirementsContent", () => {
  it("accepts canonical ids", () => {
    expect(validateRequirementsContent(requirements)).toEqual([]);
  });

  it("reports duplicates, non-canonical ids and criteria of another requirement", () => {
    const [one, two] = requirements.requirements;
    const content: RequirementsContent = {
      introduction: "",
      requirements: [
        {
          ...one!,
          acceptanceCriteria: [
            { id: "REQ-002.1", text: "x" },
            { id: "REQ-001.01", text: "x" },
          ],
        },
        { ...two!, id: "REQ-001" },
        { ...two!, id: "REQ-0003", acceptanceCriteria: [{ id: "REQ-0003.1", text: "x" }] },
      ],
    };
    expect(validateRequirementsContent(content).map((p) => p.path)).toEqual([
      "requirements.0.acceptanceCriteria.0.id",
      "requirements.0.acceptanceCriteria.1.id",
      "requirements.1.id",
      "requirements.1.acceptanceCriteria.0.id",
      "requirements.2.id",
      "requirements.2.acceptanceCriteria.0.id",
    ]);
  });
});

describe("validateDesignContent", () => {
  const design: DesignContent = {
    overview: "",
    architecture: "",
    components: [{ name: "API", responsibility: "", requirementIds: ["REQ-001.1", "REQ-004"] }],
    dataModels: "",
    apiChanges: "",
    diagrams: [{ title: "Flow", kind: "sequence", mermaid: "flowchart TD\n  A --> B" }],
    errorHandling: "",
    testingStrategy: "",
    risks: [],
    requirementIds: ["REQ-001", "REQ-003"],
  };

  it("reports unknown references and a diagram kind that contradicts its Mermaid", () => {
    expect(validateDesignContent(design, { requirementIds: ["REQ-001", "REQ-002"] })).toEqual([
      { path: "requirementIds.1", message: 'The design serves an unknown requirement "REQ-003"' },
      {
        path: "components.0.requirementIds.1",
        message: 'Component "API" serves an unknown requirement "REQ-004"',
      },
      {
        path: "diagrams.0.kind",
        message: 'Diagram "Flow" is marked sequence but its Mermaid is flowchart',
      },
    ]);
  });
});

describe("mermaidDiagramKind", () => {
  it.each([
    ["sequenceDiagram\n  A->>B: hi", "sequence"],
    ["%% comment\ngraph LR\n  A-->B", "flowchart"],
    ["flowchart TD", "flowchart"],
    ["---\ntitle: Orders\n---\nclassDiagram", "class"],
    ["stateDiagram-v2\n  [*] --> A", "state"],
    ["erDiagram", "er"],
    ["gantt", "other"],
  ])("%j -> %s", (source, kind) => {
    expect(mermaidDiagramKind(source)).toBe(kind);
  });
});
