import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { toAppError } from "@/lib/api/to-app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { SpecState } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/orgs/roles";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import type { DesignContent, RequirementsContent, TasksContent } from "./artifact-schemas";
import { createSpec } from "./create-spec";
import { exportSpec } from "./export-spec";
import { importSpec } from "./import-spec";
import { exportSpecMarkdown } from "./markdown/export-spec-markdown";
import { packSpecZip } from "./markdown/pack-spec-zip";
import { readSpecUpload } from "./markdown/read-spec-upload";
import { saveArtifact } from "./save-artifact";

// Ids with gaps (REQ-003, REQ-003.3) and dependencies the list order does not imply,
// so a round trip that renumbered or re-chained anything would show.
const requirements: RequirementsContent = {
  introduction: "Leads share board progress as CSV.",
  requirements: [
    {
      id: "REQ-001",
      title: "Export the board",
      userStory: { role: "project lead", want: "a CSV of the board", benefit: "finance sees it" },
      acceptanceCriteria: [
        { id: "REQ-001.1", text: "WHEN the lead presses Export THE SYSTEM SHALL download a CSV" },
        { id: "REQ-001.2", text: "THE SYSTEM SHALL write one row per task" },
      ],
    },
    {
      id: "REQ-003",
      title: "Keep exports private",
      userStory: { role: "admin", want: "exports scoped to the org", benefit: "nothing leaks" },
      acceptanceCriteria: [
        { id: "REQ-003.1", text: "WHILE the user is a viewer THE SYSTEM SHALL hide Export" },
        { id: "REQ-003.3", text: "IF the org disables exports THEN THE SYSTEM SHALL refuse" },
      ],
    },
  ],
  extraSections: [{ heading: "Glossary", body: "- **Board**: the Kanban view." }],
};

const design: DesignContent = {
  overview: "A route streams the board as CSV.",
  architecture: "The route reads tasks scoped by org.",
  components: [
    { name: "Export route", responsibility: "Streams rows.", requirementIds: ["REQ-001"] },
    { name: "Export button", responsibility: "Members only.", requirementIds: ["REQ-003.1"] },
  ],
  dataModels: "No change.",
  apiChanges: "GET /export.csv",
  diagrams: [{ title: "Flow", kind: "sequence", mermaid: "sequenceDiagram\n  A->>B: GET" }],
  errorHandling: "413 when too large.",
  testingStrategy: "Integration test for the route.",
  risks: [{ risk: "Large boards", mitigation: "Stream" }],
  requirementIds: ["REQ-001", "REQ-003"],
};

const tasks: TasksContent = {
  tasks: [
    {
      key: "1",
      title: "Add the CSV writer",
      description: "Escape per RFC 4180",
      phase: "INITIAL",
      estimateMinutes: 45,
      files: ["lib/csv.ts"],
      dependsOn: [],
      requirementIds: ["REQ-001.2"],
    },
    {
      key: "2",
      title: "Add the route",
      description: "",
      phase: "IMPLEMENTATION",
      estimateMinutes: 90,
      files: [],
      dependsOn: ["1"],
      requirementIds: ["REQ-001.1", "REQ-001.2", "REQ-003.3"],
    },
    {
      key: "2.1",
      title: "Hide the button from viewers",
      description: "",
      phase: "IMPLEMENTATION",
      estimateMinutes: 30,
      files: [],
      dependsOn: [],
      requirementIds: ["REQ-003.1"],
      done: true,
    },
    {
      key: "3",
      title: "Wire it up",
      description: "",
      phase: "INTEGRATION",
      estimateMinutes: 60,
      files: [],
      dependsOn: ["2", "2.1"],
      requirementIds: [],
    },
  ],
};

const md = (lines: string[]) => `${lines.join("\n")}\n`;
const lineOf = (text: string, needle: string) => text.split("\n").indexOf(needle) + 1;

async function refusalOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("importSpec", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let ticketId: string;
  const files = exportSpecMarkdown({ title: "CSV export", requirements, design, tasks });

  const newSpec = async (actor: Actor = owner.actor) =>
    (await createSpec(database.db, { actor, input: { ticketId } })).id;

  /** A spec the agent drafted to the tasks review: requirements and design approved. */
  async function agentSpecInTaskReview() {
    const specId = await newSpec();
    await database.db.$transaction(async (tx) => {
      const base = { orgId: owner.org.id, specId, source: "AGENT" as const };
      const r = await saveArtifact(tx, { ...base, phase: "REQUIREMENTS", content: requirements });
      const d = await saveArtifact(tx, { ...base, phase: "DESIGN", content: design });
      await saveArtifact(tx, { ...base, phase: "TASKS", content: tasks });
      await tx.specArtifact.updateMany({
        where: { id: { in: [r.id, d.id] } },
        data: { status: "APPROVED" },
      });
      await tx.spec.update({ where: { id: specId }, data: { state: "TASKS_REVIEW" } });
    });
    return specId;
  }

  /** What a refused import must leave exactly as it was. */
  const snapshot = async (specId: string) => ({
    artifacts: await database.db.specArtifact.count(),
    approvals: await database.db.approval.count(),
    events: await database.db.activityEvent.count(),
    state: (await database.db.spec.findUniqueOrThrow({ where: { id: specId } })).state,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    ticketId = (await createProjectWithTicket(database.db, owner.actor)).ticket.id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("round-trips export -> zip -> import: ids, text and dependencies unchanged", async () => {
    const source = await agentSpecInTaskReview();
    const exported = await exportSpec(database.db, { actor: owner.actor, specId: source });
    expect(exported.files).toEqual(files);
    const upload = readSpecUpload([
      { name: `${exported.folder}.zip`, bytes: packSpecZip(exported.folder, exported.files) },
    ]);
    if (!upload.ok) throw new Error(upload.errors.join("\n"));

    const target = await newSpec();
    const result = await importSpec(database.db, {
      actor: owner.actor,
      input: { specId: target, files: upload.files },
    });
    expect(result).toEqual({
      state: "TASKS_REVIEW",
      versions: { REQUIREMENTS: 1, DESIGN: 1, TASKS: 1 },
    });

    const artifacts = await database.db.specArtifact.findMany({
      where: { specId: target },
      orderBy: { phase: "asc" },
      select: { phase: true, status: true, source: true, authorId: true, content: true },
    });
    expect(artifacts).toEqual([
      {
        phase: "REQUIREMENTS",
        status: "APPROVED",
        source: "IMPORT",
        authorId: owner.user.id,
        content: requirements,
      },
      {
        phase: "DESIGN",
        status: "APPROVED",
        source: "IMPORT",
        authorId: owner.user.id,
        content: design,
      },
      {
        phase: "TASKS",
        status: "DRAFT",
        source: "IMPORT",
        authorId: owner.user.id,
        content: tasks,
      },
    ]);
    const approvals = await database.db.approval.findMany({
      where: { specId: target },
      select: { phase: true, version: true, decision: true, actorId: true },
      orderBy: { phase: "asc" },
    });
    expect(approvals).toEqual([
      { phase: "REQUIREMENTS", version: 1, decision: "APPROVED", actorId: owner.user.id },
      { phase: "DESIGN", version: 1, decision: "APPROVED", actorId: owner.user.id },
    ]);
    const events = await database.db.activityEvent.findMany({
      where: { specId: target, type: "spec.imported" },
      select: { actorId: true, data: true },
    });
    expect(events).toEqual([
      {
        actorId: owner.user.id,
        data: {
          from: "DRAFT",
          to: "TASKS_REVIEW",
          phase: "REQUIREMENTS",
          files: ["requirements.md", "design.md", "tasks.md"],
        },
      },
    ]);
    const again = await exportSpec(database.db, { actor: owner.actor, specId: target });
    expect(again.files).toEqual(files);
  });

  it("marks done tasks [x] on export, from the spec's tasks once they exist; import keeps [x] as a flag", async () => {
    const specId = await agentSpecInTaskReview();
    const { projectId } = await database.db.spec.findUniqueOrThrow({ where: { id: specId } });
    const row = { orgId: owner.org.id, projectId, specId };
    await database.db.task.createMany({
      data: [
        { ...row, key: "1", title: "Add the CSV writer", status: "DONE" },
        { ...row, key: "2", title: "Add the route", status: "FAILED" },
        { ...row, key: "2.1", title: "Add the header row", status: "PENDING" },
      ],
    });
    const exported = (await exportSpec(database.db, { actor: owner.actor, specId })).files[
      "tasks.md"
    ]!;
    expect(exported).toContain("- [x] 1. Add the CSV writer\n");
    expect(exported).toContain("- [ ] 2. Add the route\n");
    // Criteria, not requirements: "N.M" as in requirements.md.
    expect(exported).toContain("  - _Requirements: 1.1, 1.2, 3.3_\n");

    // Imported into another spec, "[x]" is the task's done flag (informational until approval).
    const target = await newSpec();
    await importSpec(database.db, {
      actor: owner.actor,
      input: { specId: target, files: { ...files, "tasks.md": exported } },
    });
    const imported = await database.db.specArtifact.findFirstOrThrow({
      where: { specId: target, phase: "TASKS" },
      select: { content: true },
    });
    const done = (imported.content as TasksContent).tasks.filter((t) => t.done).map((t) => t.key);
    expect(done).toEqual(["1"]);
    // Its own export, before any task exists, says the same.
    const again = await exportSpec(database.db, { actor: owner.actor, specId: target });
    expect(again.files["tasks.md"]).toBe(exported);
  });

  it("imports tasks.md alone into the tasks review, resolved against the approved requirements", async () => {
    const specId = await agentSpecInTaskReview();
    const edited = files["tasks.md"]!.replace("Wire it up", "Wire it all up");
    const result = await importSpec(database.db, {
      actor: owner.actor,
      input: { specId, files: { "tasks.md": edited } },
    });
    expect(result).toEqual({ state: "TASKS_REVIEW", versions: { TASKS: 2 } });
    const versions = await database.db.specArtifact.findMany({
      where: { specId, phase: "TASKS" },
      orderBy: { version: "asc" },
      select: { version: true, status: true, source: true },
    });
    expect(versions).toEqual([
      { version: 1, status: "SUPERSEDED", source: "AGENT" },
      { version: 2, status: "DRAFT", source: "IMPORT" },
    ]);
    const exported = await exportSpec(database.db, { actor: owner.actor, specId });
    expect(exported.files["tasks.md"]).toBe(edited);
  });

  it("refuses tasks.md that refers to requirements when requirements.md is missing and none exist", async () => {
    const specId = await newSpec();
    const before = await snapshot(specId);
    const tasksOnly = md([
      "# Implementation Plan",
      "",
      "- [ ] 1. Add the route",
      "  - _Requirements: 1.2_",
    ]);
    const error = await refusalOf(
      importSpec(database.db, {
        actor: owner.actor,
        input: { specId, files: { "tasks.md": tasksOnly } },
      }),
    );
    const reason =
      "Task 1 refers to requirements (1.2) but requirements.md is missing and no current requirements were given";
    expect(error.code).toBe("INVALID");
    expect(error.details?.fields?.["tasks.md:4"]).toBe(reason);
    expect(error.message).toContain(`tasks.md line 4: ${reason}`);
    // A draft spec's import starts with the requirements, which says so too.
    expect(error.details?.fields?.["tasks.md"]).toBe(
      "tasks.md needs design.md in the same import: an import starts with requirements.md, and phases follow in order",
    );
    expect(await snapshot(specId)).toEqual(before);
  });

  it("refuses a dependency cycle, naming the line", async () => {
    const specId = await newSpec();
    const before = await snapshot(specId);
    const cyclic = files["tasks.md"]!.replace(
      "- [ ] 1. Add the CSV writer",
      "- [ ] 1. Add the CSV writer\n  - _Depends on: 3_",
    );
    const error = await refusalOf(
      importSpec(database.db, {
        actor: owner.actor,
        input: { specId, files: { ...files, "tasks.md": cyclic } },
      }),
    );
    const line = lineOf(cyclic, "  - _Depends on: 3_");
    expect(line).toBeGreaterThan(1);
    expect(error.code).toBe("INVALID");
    expect(error.details?.fields).toEqual({
      [`tasks.md:${line}`]: "Dependency cycle: 1 -> 3 -> 2 -> 1",
    });
    expect(error.message).toBe(`tasks.md line ${line}: Dependency cycle: 1 -> 3 -> 2 -> 1`);
    expect(await snapshot(specId)).toEqual(before);
  });

  it("refuses an unknown requirement id, against the imported and against the approved requirements", async () => {
    const draft = await newSpec();
    const before = await snapshot(draft);
    const unknown = files["tasks.md"]!.replace(
      "_Requirements: 1.1, 1.2, 3.3_",
      "_Requirements: 1, 7_",
    );
    const line = lineOf(unknown, "  - _Requirements: 1, 7_");
    const error = await refusalOf(
      importSpec(database.db, {
        actor: owner.actor,
        input: { specId: draft, files: { ...files, "tasks.md": unknown } },
      }),
    );
    expect(error.details?.fields).toEqual({
      [`tasks.md:${line}`]: "Task 2 refers to Requirement 7, which does not exist",
    });
    expect(await snapshot(draft)).toEqual(before);

    const reviewed = await agentSpecInTaskReview();
    const beforeReviewed = await snapshot(reviewed);
    const refused = await refusalOf(
      importSpec(database.db, {
        actor: owner.actor,
        input: { specId: reviewed, files: { "tasks.md": unknown } },
      }),
    );
    expect(refused.details?.fields).toEqual({
      [`tasks.md:${line}`]: "Task 2 refers to Requirement 7, which does not exist",
    });
    expect(await snapshot(reviewed)).toEqual(beforeReviewed);
  });

  it("refuses malformed Markdown, naming the file and line", async () => {
    const specId = await newSpec();
    const before = await snapshot(specId);
    const broken = files["requirements.md"]!.replace(
      "### Requirement 3: Keep exports private",
      "### Keep exports private",
    );
    const line = lineOf(broken, "### Keep exports private");
    const error = await refusalOf(
      importSpec(database.db, {
        actor: owner.actor,
        input: { specId, files: { ...files, "requirements.md": broken } },
      }),
    );
    expect(error.code).toBe("INVALID");
    expect(error.details?.fields?.[`requirements.md:${line}`]).toBe(
      'Expected "### Requirement N: Title", found "### Keep exports private"',
    );
    expect(await snapshot(specId)).toEqual(before);
  });

  it("refuses a file for a phase that is already approved, and any import while a phase runs", async () => {
    const specId = await agentSpecInTaskReview();
    const before = await snapshot(specId);
    const error = await refusalOf(
      importSpec(database.db, {
        actor: owner.actor,
        input: { specId, files: { "requirements.md": files["requirements.md"] } },
      }),
    );
    expect(error.details?.fields).toEqual({
      "requirements.md":
        "requirements.md cannot be imported: the tasks phase is in review, so an import starts with tasks.md",
    });
    expect(await snapshot(specId)).toEqual(before);

    await database.db.spec.update({ where: { id: specId }, data: { state: "TASKS_RUNNING" } });
    const running = await refusalOf(
      importSpec(database.db, { actor: owner.actor, input: { specId, files } }),
    );
    expect(running.code).toBe("CONFLICT");
    expect(running.message).toBe(
      "Markdown can be imported into a draft spec or the phase in review; the spec is tasks running.",
    );
    expect((await snapshot(specId)).state).toBe<SpecState>("TASKS_RUNNING");
  });

  it("refuses a file over 200 KB before reading it", async () => {
    const specId = await newSpec();
    const error = await refusalOf(
      importSpec(database.db, {
        actor: owner.actor,
        input: { specId, files: { "requirements.md": "x".repeat(201 * 1024) } },
      }).catch((thrown: unknown) => {
        // The schema's ZodError, as the server action maps it.
        throw toAppError(thrown);
      }),
    );
    expect(error.details?.fields).toEqual({
      "files.requirements.md": "requirements.md is larger than 200 KB",
    });
  });

  it("answers NOT_FOUND for another organization's spec and changes nothing", async () => {
    const specId = await agentSpecInTaskReview();
    const before = await snapshot(specId);
    const error = await refusalOf(
      importSpec(database.db, {
        actor: stranger.actor,
        input: { specId, files: { "tasks.md": files["tasks.md"] } },
      }),
    );
    expect(error.code).toBe("NOT_FOUND");
    expect((await refusalOf(exportSpec(database.db, { actor: stranger.actor, specId }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await snapshot(specId)).toEqual(before);
  });
});
