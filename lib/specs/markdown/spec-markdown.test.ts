import { describe, expect, it } from "vitest";
import {
  type DesignContent,
  designContentSchema,
  knownRequirementsOf,
  type RequirementsContent,
  requirementsContentSchema,
  type TasksContent,
  tasksContentSchema,
  validateDesignContent,
  validateRequirementsContent,
  validateTasksContent,
} from "../artifact-schemas";
import { lintRequirements } from "../ears";
import { exportSpecMarkdown } from "./export-spec-markdown";
import { importSpecMarkdown } from "./import-spec-markdown";

/** A spec using every feature of the Markdown layout, shared by the export and import tests. */
const fixtureRequirements: RequirementsContent = {
  introduction:
    "Project leads want to share board progress outside Trellis.\n\nThis feature adds a CSV export of the Kanban board.",
  requirements: [
    {
      id: "REQ-001",
      title: "Export the board as CSV",
      userStory: {
        role: "project lead",
        want: "to export the board as CSV",
        benefit: "I can share progress with finance",
      },
      acceptanceCriteria: [
        {
          id: "REQ-001.1",
          text: "WHEN the user presses Export THEN THE SYSTEM SHALL download a CSV file",
        },
        {
          id: "REQ-001.2",
          text: "The system shall include one row per task, with its status and estimate.",
        },
      ],
    },
    {
      id: "REQ-002",
      title: "Refuse exports that are too large",
      userStory: {
        role: "administrator",
        want: "exports to stay bounded",
        benefit: "the server stays responsive",
      },
      acceptanceCriteria: [
        {
          id: "REQ-002.1",
          text: "IF the board has more than 10000 tasks THEN THE SYSTEM SHALL refuse the export with a message",
        },
      ],
    },
    {
      id: "REQ-004",
      title: "Keep exports private",
      userStory: {
        role: "the security team",
        want: "exports scoped to the organization",
        benefit: "no data leaks",
      },
      acceptanceCriteria: [
        {
          id: "REQ-004.1",
          text: "WHILE the user is a viewer THE SYSTEM SHALL hide the Export button",
        },
        {
          id: "REQ-004.3",
          text: "WHERE the organization disables exports THE SYSTEM SHALL return 403",
        },
      ],
    },
  ],
  extraSections: [
    {
      heading: "Glossary",
      body: "- **Board**: the Kanban view of a project.\n- **CSV**: comma-separated values.",
    },
  ],
};

const fixtureDesign: DesignContent = {
  overview: "A server route streams the board as CSV; the board page gets an Export button.",
  architecture:
    "The route reads tasks with the org scope and streams rows.\n\n### Streaming\n\nRows are written as they are read.",
  components: [
    {
      name: "Export route",
      responsibility:
        "`GET /api/v1/projects/:id/export.csv` streams the rows.\n\n#### Interface\n\n```ts\nexport async function GET(request: Request): Promise<Response>;\n```",
      requirementIds: ["REQ-001", "REQ-002.1"],
    },
    {
      name: "Export button",
      responsibility: "Shown to members and above.",
      requirementIds: ["REQ-004.1"],
    },
    { name: "CSV writer", responsibility: "Escapes fields per RFC 4180.", requirementIds: [] },
  ],
  dataModels: "No schema change.",
  apiChanges: "| Method | Path |\n| --- | --- |\n| GET | /api/v1/projects/:id/export.csv |",
  diagrams: [
    {
      title: "Export flow",
      kind: "sequence",
      mermaid:
        "sequenceDiagram\n    actor Lead\n    Lead->>Route: GET export.csv\n    Route-->>Lead: 200 text/csv",
    },
    {
      title: "Limits",
      kind: "flowchart",
      mermaid: "flowchart TD\n    A[Count tasks] --> B{> 10000?}\n    B -->|yes| C[413]",
    },
  ],
  errorHandling: "Too many tasks: 413 with a message.",
  testingStrategy: "Unit tests for the CSV writer; an integration test for the route.",
  risks: [
    { risk: "Large boards time out", mitigation: "Stream rows and cap at 10000 tasks" },
    { risk: "Formula injection in spreadsheets", mitigation: "" },
  ],
  requirementIds: ["REQ-001", "REQ-002", "REQ-004"],
  extraSections: [{ heading: "Open Questions", body: "Should exports include archived tasks?" }],
};

const fixtureTasks: TasksContent = {
  tasks: [
    {
      key: "1",
      title: "Set up the export module",
      description: "Create lib/export/ with the CSV writer skeleton.",
      phase: "INITIAL",
      estimateMinutes: 30,
      files: ["lib/export/csv.ts"],
      dependsOn: [],
      requirementIds: [],
      done: true,
    },
    {
      key: "2",
      title: "Implement the export",
      description: "Group of export tasks.",
      phase: "IMPLEMENTATION",
      estimateMinutes: 15,
      files: [],
      dependsOn: ["1"],
      requirementIds: ["REQ-001.1", "REQ-001.2"],
    },
    {
      key: "2.1",
      title: "Write the CSV writer",
      description: "Escape quotes and commas.\n- Handle newlines in titles.",
      phase: "IMPLEMENTATION",
      estimateMinutes: 90,
      files: ["lib/export/csv.ts", "lib/export/csv.test.ts"],
      dependsOn: ["1"],
      requirementIds: ["REQ-001.2"],
    },
    {
      key: "2.2",
      title: "Add the export route",
      description: "",
      phase: "IMPLEMENTATION",
      estimateMinutes: 60,
      files: ["app/api/v1/projects/[id]/export.csv/route.ts"],
      dependsOn: ["2.1"],
      requirementIds: ["REQ-001.1", "REQ-002.1"],
      done: true,
    },
    {
      key: "3",
      title: "Wire the button",
      description: "Show it to members and above.",
      phase: "INTEGRATION",
      estimateMinutes: 120,
      files: [],
      dependsOn: [],
      requirementIds: ["REQ-004.1", "REQ-004.3"],
    },
    {
      key: "4",
      title: "Tidy up and test",
      description: "",
      phase: "REFACTORING",
      estimateMinutes: 45,
      files: [],
      dependsOn: ["2.2", "3"],
      requirementIds: ["REQ-001.1", "REQ-001.2", "REQ-002.1", "REQ-004.1", "REQ-004.3"],
    },
  ],
  extraSections: [{ heading: "Notes", body: "Run `npm test` before each commit." }],
};

/** Line number (1-based) of the first line containing `needle`, to keep refusal tests readable. */
function lineOf(text: string, needle: string, from = 1): number {
  const index = text.split("\n").findIndex((line, i) => i + 1 >= from && line.includes(needle));
  if (index === -1) throw new Error(`"${needle}" not in fixture`);
  return index + 1;
}

function md(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

describe("fixtures", () => {
  it("are valid content, so a round trip starts from something Trellis would store", () => {
    requirementsContentSchema.parse(fixtureRequirements);
    designContentSchema.parse(fixtureDesign);
    tasksContentSchema.parse(fixtureTasks);
    const known = knownRequirementsOf(fixtureRequirements);
    expect(validateRequirementsContent(fixtureRequirements)).toEqual([]);
    expect(validateDesignContent(fixtureDesign, known)).toEqual([]);
    expect(validateTasksContent(fixtureTasks, known)).toEqual([]);
  });
});

describe("exportSpecMarkdown", () => {
  const files = exportSpecMarkdown({
    title: "Board export",
    requirements: fixtureRequirements,
    design: fixtureDesign,
    tasks: fixtureTasks,
  });

  it("writes only the files whose artifact exists", () => {
    expect(
      Object.keys(exportSpecMarkdown({ title: "x", requirements: fixtureRequirements })),
    ).toEqual(["requirements.md"]);
    expect(exportSpecMarkdown({ title: "x" })).toEqual({});
  });

  it("writes requirements.md in the Kiro layout, numbering from the ids", () => {
    const text = files["requirements.md"]!;
    expect(text.startsWith("# Requirements Document\n\n## Introduction\n\n")).toBe(true);
    expect(text).toContain(
      "### Requirement 1: Export the board as CSV\n\n**User Story:** As a project lead, I want to export the board as CSV, so that I can share progress with finance\n\n#### Acceptance Criteria\n\n1. WHEN the user presses Export THEN THE SYSTEM SHALL download a CSV file\n2. The system shall",
    );
    expect(text).toContain("**User Story:** As an administrator, I want");
    expect(text).toContain("**User Story:** As the security team, I want");
    expect(text).toContain("### Requirement 4: Keep exports private");
    expect(text).toContain("\n3. WHERE the organization disables exports");
    expect(
      text
        .trimEnd()
        .endsWith(
          "## Glossary\n\n- **Board**: the Kanban view of a project.\n- **CSV**: comma-separated values.",
        ),
    ).toBe(true);
  });

  it("writes design.md with titled Mermaid diagrams under Architecture and requirement numbers", () => {
    const text = files["design.md"]!;
    const headings = text.split("\n").filter((line) => line.startsWith("## "));
    expect(headings).toEqual([
      "## Overview",
      "## Architecture",
      "## Components and Interfaces",
      "## Data Models",
      "## API Changes",
      "## Error Handling",
      "## Testing Strategy",
      "## Risks",
      "## Open Questions",
    ]);
    expect(text).toContain("_Requirements: 1, 2, 4_\n\n## Architecture");
    expect(text).toContain("### Export flow\n\n```mermaid\nsequenceDiagram\n");
    expect(text).toContain("_Requirements: 1, 2.1_");
    expect(text).toContain(
      "- **Risk:** Large boards time out — **Mitigation:** Stream rows and cap at 10000 tasks",
    );
  });

  it("writes tasks.md as a checkbox list, with Depends on only where the list order does not say it", () => {
    const text = files["tasks.md"]!;
    expect(text).toContain(
      md([
        "- [x] 1. Set up the export module",
        "  - Create lib/export/ with the CSV writer skeleton.",
        "  - Files: lib/export/csv.ts",
        "  - Phase: INITIAL",
        "  - Estimate: 30m",
      ]),
    );
    // Task 2 depends on task 1, the task above it: no line.
    expect(text).toContain("  - _Requirements: 1.1, 1.2_\n\n  - [ ] 2.1 Write the CSV writer\n");
    expect(text).toContain(
      "    - Estimate: 1h 30m\n    - _Requirements: 1.2_\n    - _Depends on: 1_\n",
    );
    expect(text).toContain("  - [x] 2.2 Add the export route\n");
    expect(text).toContain("  - _Depends on: none_\n");
    expect(text).toContain("  - _Depends on: 2.2, 3_\n");
  });
});

describe("round trip: content -> Markdown -> content", () => {
  it("gives back exactly the same content", () => {
    const files = exportSpecMarkdown({
      title: "Board export",
      requirements: fixtureRequirements,
      design: fixtureDesign,
      tasks: fixtureTasks,
    });
    expect(importSpecMarkdown(files)).toEqual({
      ok: true,
      requirements: fixtureRequirements,
      design: fixtureDesign,
      tasks: fixtureTasks,
    });
  });

  it("writes a task's whole-requirement reference as the criteria of tasks.md", () => {
    const tasks: TasksContent = {
      tasks: [
        { ...fixtureTasks.tasks[1]!, dependsOn: [], requirementIds: ["REQ-001", "REQ-004.3"] },
      ],
    };
    const files = exportSpecMarkdown({ title: "x", requirements: fixtureRequirements, tasks });
    expect(files["tasks.md"]).toContain("  - _Requirements: 1.1, 1.2, 4.3_\n");
    // Without the requirements there is nothing to expand: the requirement's number stays.
    expect(exportSpecMarkdown({ title: "x", tasks })["tasks.md"]).toContain(
      "  - _Requirements: 1, 4.3_\n",
    );
    const imported = importSpecMarkdown(files);
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    expect(imported.tasks?.tasks[0]?.requirementIds).toEqual([
      "REQ-001.1",
      "REQ-001.2",
      "REQ-004.3",
    ]);
  });

  it("is stable: exporting the import again gives the same files", () => {
    const files = exportSpecMarkdown({
      title: "x",
      requirements: fixtureRequirements,
      tasks: fixtureTasks,
    });
    const imported = importSpecMarkdown(files);
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    expect(exportSpecMarkdown({ title: "x", ...imported })).toEqual(files);
  });

  it("round-trips minimal content: no extra sections, no optional flags, a design serving nothing", () => {
    const requirements: RequirementsContent = {
      introduction: "",
      requirements: [
        {
          id: "REQ-001",
          title: "Log",
          userStory: { role: "operator", want: "logs", benefit: "I can debug" },
          acceptanceCriteria: [{ id: "REQ-001.1", text: "THE SYSTEM SHALL log every request" }],
        },
      ],
    };
    const design: DesignContent = {
      overview: "",
      architecture: "",
      components: [],
      dataModels: "",
      apiChanges: "",
      diagrams: [{ title: "State", kind: "state", mermaid: "stateDiagram-v2\n    [*] --> Idle" }],
      errorHandling: "",
      testingStrategy: "",
      risks: [],
      requirementIds: [],
    };
    const tasks: TasksContent = {
      tasks: [
        {
          key: "1",
          title: "Add logging",
          description: "",
          phase: "IMPLEMENTATION",
          estimateMinutes: 1,
          files: [],
          dependsOn: [],
          requirementIds: [],
        },
      ],
    };
    const files = exportSpecMarkdown({ title: "x", requirements, design, tasks });
    expect(importSpecMarkdown(files)).toEqual({ ok: true, requirements, design, tasks });
  });

  it("reads Windows line endings", () => {
    const files = exportSpecMarkdown({
      title: "x",
      requirements: fixtureRequirements,
      tasks: fixtureTasks,
    });
    const crlf = {
      "requirements.md": files["requirements.md"]!.replaceAll("\n", "\r\n"),
      "tasks.md": files["tasks.md"]!.replaceAll("\n", "\r\n"),
    };
    expect(importSpecMarkdown(crlf)).toEqual({
      ok: true,
      requirements: fixtureRequirements,
      tasks: fixtureTasks,
    });
  });
});

// Written the way Kiro writes them: untitled requirements, WHEN … THEN … SHALL,
// a diagram straight under "## Architecture", flat sub-tasks and optional "[ ]*" tasks.
const kiroRequirements = md([
  "# Requirements Document",
  "",
  "## Introduction",
  "",
  "This feature adds user authentication so that people can register, sign in and keep a session.",
  "",
  "## Requirements",
  "",
  "### Requirement 1",
  "",
  "**User Story:** As a new user, I want to create an account with my email and password, so that I can access personalized features",
  "",
  "#### Acceptance Criteria",
  "",
  "1. WHEN a user submits a valid email and password THEN the system SHALL create a new account",
  '2. WHEN a user submits an email that is already registered THEN the system SHALL display the message "Email already in use"',
  "3. IF the password is shorter than 8 characters THEN the system SHALL reject the registration and explain the rule",
  "",
  "### Requirement 2",
  "",
  "**User Story:** As a registered user, I want to sign in, so that I can reach my dashboard",
  "",
  "#### Acceptance Criteria",
  "",
  "1. WHEN a user submits correct credentials THEN the system SHALL start a session",
  "1. WHILE a session is active THE SYSTEM SHALL refresh the session token every 15 minutes",
  "",
]);

const kiroDesign = md([
  "# Design Document",
  "",
  "## Overview",
  "",
  "Authentication uses email and password with server-side sessions.",
  "",
  "## Architecture",
  "",
  "```mermaid",
  "graph TD",
  "    A[Client] --> B[Auth API]",
  "    B --> C[(Users DB)]",
  "```",
  "",
  "The API is layered: routes, services, repositories.",
  "",
  "## Components and Interfaces",
  "",
  "### Auth Service",
  "",
  "- `register(email, password)`: creates a user",
  "- `login(email, password)`: returns a session",
  "",
  "### Session Store",
  "",
  "Keeps sessions in Postgres.",
  "",
  "## Data Models",
  "",
  "```typescript",
  "interface User { id: string; email: string; passwordHash: string }",
  "```",
  "",
  "## Error Handling",
  "",
  "- Duplicate email: 409",
  "- Invalid credentials: 401",
  "",
  "## Testing Strategy",
  "",
  "Unit tests for hashing; integration tests for the sign-in flow.",
  "",
]);

const kiroTasks = md([
  "# Implementation Plan",
  "",
  "- [x] 1. Set up project structure and core interfaces",
  "  - Create directory structure for models, services and API components",
  "  - _Requirements: 1.1_",
  "",
  "- [ ] 2. Implement data models and validation",
  "- [ ] 2.1 Create core data model interfaces and types",
  "  - Write TypeScript interfaces for all data models",
  "    - User",
  "  - _Requirements: 1.1, 1.3, 2.1_",
  "",
  "- [ ]* 2.2 Write unit tests for the User model",
  "  - _Requirements: 1.3-1.3, Requirement 2_",
  "",
  "- [ ] 3. Create the session store",
  "  - [ ] 3.1 Implement database connection utilities",
  "    - Write connection management code",
  "    - _Requirements: 2.2_",
]);

describe("importing Kiro-written files", () => {
  const result = importSpecMarkdown({
    "requirements.md": kiroRequirements,
    "design.md": kiroDesign,
    "tasks.md": kiroTasks,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));

  it("maps Requirement N to REQ-00N, criteria to N.M, and titles untitled requirements from the story", () => {
    const [first, second] = result.requirements!.requirements;
    expect(first).toMatchObject({
      id: "REQ-001",
      title: "Create an account with my email and password",
      userStory: {
        role: "new user",
        want: "to create an account with my email and password",
        benefit: "I can access personalized features",
      },
    });
    expect(first!.acceptanceCriteria.map((c) => c.id)).toEqual([
      "REQ-001.1",
      "REQ-001.2",
      "REQ-001.3",
    ]);
    expect(first!.acceptanceCriteria[1]!.text).toBe(
      'WHEN a user submits an email that is already registered THEN the system SHALL display the message "Email already in use"',
    );
    // "1. 1." lists are numbered by position.
    expect(second!.acceptanceCriteria.map((c) => c.id)).toEqual(["REQ-002.1", "REQ-002.2"]);
    expect(result.requirements!.introduction).toMatch(/^This feature adds user authentication/);
  });

  it("classifies Kiro's criteria as EARS without issues", () => {
    const lint = lintRequirements(result.requirements!);
    expect(lint["REQ-001.1"]).toMatchObject({ pattern: "EVENT_DRIVEN", issues: [] });
    expect(lint["REQ-001.3"]).toMatchObject({ pattern: "UNWANTED", issues: [] });
    expect(lint["REQ-002.2"]).toMatchObject({ pattern: "STATE_DRIVEN", issues: [] });
  });

  it("takes the diagram out of Architecture, keeps the prose, and serves every requirement", () => {
    const design = result.design!;
    expect(design.diagrams).toEqual([
      {
        title: "Architecture diagram",
        kind: "flowchart",
        mermaid: "graph TD\n    A[Client] --> B[Auth API]\n    B --> C[(Users DB)]",
      },
    ]);
    expect(design.architecture).toBe("The API is layered: routes, services, repositories.");
    expect(design.components.map((c) => c.name)).toEqual(["Auth Service", "Session Store"]);
    expect(design.components[0]!.responsibility).toContain("`login(email, password)`");
    expect(design.dataModels).toContain("interface User");
    expect(design.apiChanges).toBe("");
    expect(design.risks).toEqual([]);
    expect(design.requirementIds).toEqual(["REQ-001", "REQ-002"]);
  });

  it("reads flat and nested sub-tasks, optional tasks, ranges, and chains tasks in list order", () => {
    const tasks = result.tasks!.tasks;
    expect(tasks.map((t) => [t.key, t.dependsOn, t.done ?? false])).toEqual([
      ["1", [], true],
      ["2", ["1"], false],
      ["2.1", ["2"], false],
      ["2.2", ["2.1"], false],
      ["3", ["2.2"], false],
      ["3.1", ["3"], false],
    ]);
    expect(tasks[2]).toEqual({
      key: "2.1",
      title: "Create core data model interfaces and types",
      description: "Write TypeScript interfaces for all data models\nUser",
      phase: "IMPLEMENTATION",
      estimateMinutes: 30,
      files: [],
      dependsOn: ["2"],
      requirementIds: ["REQ-001.1", "REQ-001.3", "REQ-002.1"],
    });
    expect(tasks[3]!.requirementIds).toEqual(["REQ-001.3", "REQ-002"]);
  });

  it("exports what it imported in Trellis's own layout, naming criteria, and that is stable", () => {
    const files = exportSpecMarkdown({ title: "Auth", ...result });
    // "Requirement 2" is written as its criteria, so it comes back as them; nothing else changes.
    expect(files["tasks.md"]).toContain("  - _Requirements: 1.3, 2.1, 2.2_\n");
    const again = importSpecMarkdown(files);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    const tasks = result.tasks!.tasks.map((t) =>
      t.key === "2.2" ? { ...t, requirementIds: ["REQ-001.3", "REQ-002.1", "REQ-002.2"] } : t,
    );
    expect(again).toEqual({ ...result, tasks: { ...result.tasks!, tasks } });
    expect(exportSpecMarkdown({ title: "Auth", ...again })).toEqual(files);
  });
});

describe("importSpecMarkdown: references to requirements", () => {
  const tasksOnly = md([
    "# Implementation Plan",
    "",
    "- [ ] 1. Add the export route",
    "  - _Requirements: 1.2_",
  ]);

  it("refuses tasks that refer to requirements when there are none to resolve them", () => {
    expect(importSpecMarkdown({ "tasks.md": tasksOnly })).toEqual({
      ok: false,
      errors: [
        {
          file: "tasks.md",
          line: 4,
          message:
            "Task 1 refers to requirements (1.2) but requirements.md is missing and no current requirements were given",
        },
      ],
    });
  });

  it("resolves them against the spec's current requirements when requirements.md is absent", () => {
    const result = importSpecMarkdown(
      { "tasks.md": tasksOnly },
      { existing: { requirements: fixtureRequirements } },
    );
    expect(result.ok && result.tasks?.tasks[0]?.requirementIds).toEqual(["REQ-001.2"]);
  });

  it("prefers the imported requirements.md over the current ones", () => {
    const result = importSpecMarkdown(
      {
        "requirements.md": kiroRequirements,
        "tasks.md": md(["- [ ] 1. Do it", "  - _Requirements: 1.3_"]),
      },
      { existing: { requirements: fixtureRequirements } },
    );
    expect(result.ok).toBe(true);
  });

  it("refuses an unknown criterion and an unknown requirement, naming the line", () => {
    const tasks = md([
      "# Implementation Plan",
      "",
      "- [ ] 1. A",
      "  - _Requirements: 1.1, 1.9_",
      "- [ ] 2. B",
      "  - _Requirements: 7_",
    ]);
    expect(importSpecMarkdown({ "requirements.md": kiroRequirements, "tasks.md": tasks })).toEqual({
      ok: false,
      errors: [
        {
          file: "tasks.md",
          line: 4,
          message: "Task 1 refers to acceptance criterion 1.9, which does not exist",
        },
        {
          file: "tasks.md",
          line: 6,
          message: "Task 2 refers to Requirement 7, which does not exist",
        },
      ],
    });
  });

  it("refuses a design component serving an unknown requirement", () => {
    const design = kiroDesign.replace(
      "Keeps sessions in Postgres.",
      "Keeps sessions in Postgres.\n\n_Requirements: 3_",
    );
    const result = importSpecMarkdown({ "requirements.md": kiroRequirements, "design.md": design });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "design.md",
          line: lineOf(design, "_Requirements: 3_"),
          message: 'Component "Session Store" refers to Requirement 3, which does not exist',
        },
      ],
    });
  });

  it("does not pile reference errors on top of a broken requirements.md", () => {
    const broken = kiroRequirements.replace("### Requirement 2", "### Second requirement");
    const result = importSpecMarkdown({ "requirements.md": broken, "tasks.md": kiroTasks });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.file)).toEqual(["requirements.md"]);
  });
});

describe("importSpecMarkdown: refusals name the file and line", () => {
  const refuse = (files: Parameters<typeof importSpecMarkdown>[0]) => {
    const result = importSpecMarkdown(files, { existing: { requirements: fixtureRequirements } });
    if (result.ok) throw new Error("expected a refusal");
    return result.errors;
  };

  it("a dependency cycle, blamed on the Depends on line that points forward", () => {
    const tasks = md([
      "# Implementation Plan",
      "",
      "- [ ] 1. Model",
      "  - _Depends on: 3_",
      "- [ ] 2. Route",
      "- [ ] 3. Button",
    ]);
    expect(refuse({ "tasks.md": tasks })).toEqual([
      { file: "tasks.md", line: 4, message: "Dependency cycle: 1 -> 3 -> 2 -> 1" },
    ]);
  });

  it("a dependency on an unknown task, and on itself", () => {
    const tasks = md([
      "- [ ] 1. Model",
      "  - _Depends on: 9_",
      "- [ ] 2. Route",
      "  - _Depends on: 1, 2_",
    ]);
    expect(refuse({ "tasks.md": tasks })).toEqual([
      { file: "tasks.md", line: 2, message: "Task 1 depends on unknown task 9" },
      { file: "tasks.md", line: 4, message: "Task 2 depends on itself" },
    ]);
  });

  it("a task line without a number, a stray bullet, and a repeated key", () => {
    const tasks = md([
      "# Implementation Plan",
      "",
      "- [ ] Set up the project",
      "- [ ] 1. Set up the project",
      "- Files: a.ts",
      "- [ ] 1. Again",
    ]);
    expect(refuse({ "tasks.md": tasks })).toEqual([
      {
        file: "tasks.md",
        line: 3,
        message: 'A task line reads "- [ ] N. Title" (a number, then the title)',
      },
      {
        file: "tasks.md",
        line: 5,
        message: 'Expected a task line "- [ ] N. Title" or a detail bullet indented under a task',
      },
      { file: "tasks.md", line: 6, message: "Task 1 appears twice (also on line 4)" },
    ]);
  });

  it("text before the first task, an unknown phase and an unreadable estimate", () => {
    const tasks = md([
      "# Implementation Plan",
      "",
      "Do these in order.",
      "- [ ] 1. A",
      "  - Phase: LATER",
      "  - Estimate: soon",
    ]);
    expect(refuse({ "tasks.md": tasks })).toEqual([
      {
        file: "tasks.md",
        line: 3,
        message: 'Expected a task line "- [ ] N. Title" before anything else',
      },
      {
        file: "tasks.md",
        line: 5,
        message: 'Unknown phase "LATER" (use INITIAL, IMPLEMENTATION, INTEGRATION, REFACTORING)',
      },
      {
        file: "tasks.md",
        line: 6,
        message: 'Unreadable estimate "soon" (write 30m, 2h or 1h 30m)',
      },
    ]);
  });

  it("an empty task list", () => {
    expect(refuse({ "tasks.md": "# Implementation Plan\n" })).toEqual([
      { file: "tasks.md", line: 1, message: 'No tasks: tasks.md lists tasks as "- [ ] 1. Title"' },
    ]);
  });

  it("a numbered criterion outside an Acceptance Criteria section", () => {
    const text = kiroRequirements.replace(
      "**User Story:** As a registered user",
      "1. WHEN a user signs out THEN the system SHALL end the session\n\n**User Story:** As a registered user",
    );
    expect(refuse({ "requirements.md": text })).toEqual([
      {
        file: "requirements.md",
        line: lineOf(text, "1. WHEN a user signs out"),
        message:
          'Numbered criterion outside an "#### Acceptance Criteria" section in Requirement 2',
      },
    ]);
  });

  it("a repeated requirement number, a missing user story and a heading that is not a requirement", () => {
    const text = md([
      "# Requirements Document",
      "## Requirements",
      "### Requirement 1",
      "#### Acceptance Criteria",
      "1. THE SYSTEM SHALL log",
      "### Requirement 1: Again",
      "**User Story:** As a user, I want logs, so that I can debug",
      "#### Acceptance Criteria",
      "1. THE SYSTEM SHALL log",
      "### Non-functional",
    ]);
    expect(refuse({ "requirements.md": text })).toEqual([
      { file: "requirements.md", line: 3, message: 'Requirement 1 has no "**User Story:**" line' },
      { file: "requirements.md", line: 6, message: "Requirement 1 appears twice (also on line 3)" },
      {
        file: "requirements.md",
        line: 10,
        message: 'Expected "### Requirement N: Title", found "### Non-functional"',
      },
    ]);
  });

  it("a malformed user story and a requirement without criteria", () => {
    const text = md([
      "## Requirements",
      "### Requirement 1",
      "**User Story:** I want logs",
      "#### Acceptance Criteria",
      "",
    ]);
    expect(refuse({ "requirements.md": text })).toEqual([
      {
        file: "requirements.md",
        line: 3,
        message: 'The user story must read "As a …, I want …, so that …"',
      },
      { file: "requirements.md", line: 4, message: "Requirement 1 has no acceptance criteria" },
    ]);
  });

  it("a requirements.md without a Requirements section", () => {
    expect(
      refuse({ "requirements.md": "# Requirements Document\n\n## Introduction\n\nHello.\n" }),
    ).toEqual([{ file: "requirements.md", line: 1, message: 'No "## Requirements" section' }]);
  });

  it("a design without any Mermaid diagram, and unreadable risks", () => {
    const design = md([
      "# Design Document",
      "## Overview",
      "Text.",
      "## Architecture",
      "Layers.",
      "## Risks",
      "Some prose about risk.",
    ]);
    expect(refuse({ "design.md": design })).toEqual([
      {
        file: "design.md",
        line: 4,
        message: 'No Mermaid diagram: add a "```mermaid" block under "## Architecture"',
      },
      {
        file: "design.md",
        line: 7,
        message: 'Expected a risk bullet: "- **Risk:** … — **Mitigation:** …"',
      },
    ]);
  });

  it("a design's own requirement list naming a criterion", () => {
    const files = exportSpecMarkdown({ title: "x", design: fixtureDesign });
    const design = files["design.md"]!.replace("_Requirements: 1, 2, 4_", "_Requirements: 1.1_");
    expect(refuse({ "design.md": design })).toEqual([
      {
        file: "design.md",
        line: lineOf(design, "_Requirements: 1.1_"),
        message: "The design's requirements are whole requirements (1, 2), not criteria",
      },
    ]);
  });

  it("reports every file's problems together", () => {
    const errors = refuse({
      "requirements.md": "# Requirements Document\n",
      "tasks.md": "- [ ] 1. A\n  - _Depends on: 2_\n",
    });
    expect(errors.map((e) => [e.file, e.line])).toEqual([
      ["requirements.md", 1],
      ["tasks.md", 2],
    ]);
  });
});

describe("importSpecMarkdown: a design mermaid block elsewhere", () => {
  it("copies diagrams from other sections when Architecture has none", () => {
    const design = kiroDesign
      .replace(/```mermaid\ngraph TD\n[^`]*```\n/, "")
      .replace(
        "## Data Models\n",
        "## Data Models\n\n```mermaid\nerDiagram\n    USER ||--o{ SESSION : has\n```\n",
      );
    const result = importSpecMarkdown({ "design.md": design });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.design!.diagrams).toEqual([
      {
        title: "Data Models diagram",
        kind: "er",
        mermaid: "erDiagram\n    USER ||--o{ SESSION : has",
      },
    ]);
    expect(result.design!.dataModels).toContain("erDiagram");
    expect(result.design!.requirementIds).toEqual([]);
  });
});
