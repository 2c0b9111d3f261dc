import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { searchOrg } from "@/lib/search/search-org";
import { failTask } from "@/lib/tasks/finish-task";
import { listBoardFilterOptions } from "@/lib/tasks/list-board-filter-options";
import { listGraphSpecs } from "@/lib/tasks/list-graph-specs";
import { retryTask } from "@/lib/tasks/retry-task";
import {
  createTaskGraph,
  createTaskScope,
  type TaskScope,
} from "@/lib/tasks/testing/task-fixtures";
import { createUserWithOrg } from "@/prisma/factories";
import { getSpec } from "./get-spec";
import { shownSpecState } from "./spec-attention";

let database: TestDatabase;
const db = () => database.db;
let owner: Actor;
let scope: TaskScope;
let tasks: Map<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = (await createUserWithOrg(db(), "Ada")).actor;
  scope = await createTaskScope(db(), { orgId: owner.orgId, name: "Mark all todos done" });
  // Task 1 is on its last attempt; 2 and 3 wait for it, 4 for both of them.
  tasks = await createTaskGraph(db(), scope, [
    {
      key: "1",
      title: "Set up the schema",
      dependsOn: [],
      status: "RUNNING",
      attempts: 3,
      maxAttempts: 3,
      leaseOwner: "w",
      leaseExpiresAt: new Date(Date.now() + 60_000),
    },
    { key: "2", dependsOn: ["1"] },
    { key: "3", dependsOn: ["1"] },
    { key: "4", dependsOn: ["2", "3"] },
  ]);
});
afterAll(async () => {
  await database?.drop();
});

/** The spec's state as each place that lists specs shows it. */
async function shown() {
  const spec = await getSpec(db(), { actor: owner, specId: scope.specId });
  const results = await searchOrg(db(), { actor: owner, input: { q: "todos done" } });
  const found = results.find((r) => r.kind === "spec" && r.id === scope.specId);
  const graph = await listGraphSpecs(db(), { actor: owner });
  const board = await listBoardFilterOptions(db(), { actor: owner });
  return {
    page: shownSpecState(spec.state, spec.tasks.length),
    held: spec.tasks.map((t) => `${t.key} ${t.status}: ${t.attentionReason}`),
    palette: found?.detail,
    graph: graph.find((s) => s.id === scope.specId)?.state,
    board: board.specs.find((s) => s.value === scope.specId)?.label,
  };
}

describe("a spec whose execution a failed task holds", () => {
  it("reads as executing while its tasks run", async () => {
    expect(await shown()).toMatchObject({
      page: "EXECUTING",
      held: [],
      palette: expect.stringMatching(/^Executing · /),
      graph: "EXECUTING",
      board: "Mark all todos done",
    });
  });

  it("needs attention once a task fails for good, naming the task, everywhere it is listed", async () => {
    await failTask(db(), {
      taskId: tasks.get("1")!,
      workerId: "w",
      error: "the test command exited with 1",
      retryable: true,
    });
    const spec = await db().spec.findUniqueOrThrow({ where: { id: scope.specId } });
    // Stored state unchanged: derived from its tasks.
    expect(spec.state).toBe("EXECUTING");
    expect(await shown()).toEqual({
      page: "NEEDS_ATTENTION",
      held: ["1 FAILED: the test command exited with 1 (gave up after 3 attempts)"],
      palette: expect.stringMatching(/^Needs attention · /),
      graph: "NEEDS_ATTENTION",
      board: "Mark all todos done (needs attention)",
    });
  });

  it("reads as executing again once a person retries the task", async () => {
    await retryTask(db(), { actor: owner, taskId: tasks.get("1")! });
    expect(await shown()).toMatchObject({ page: "EXECUTING", held: [], graph: "EXECUTING" });
  });
});
