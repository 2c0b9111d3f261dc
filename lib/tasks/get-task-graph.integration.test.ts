import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/orgs/roles";
import { getTaskGraph } from "./get-task-graph";
import { listGraphSpecs } from "./list-graph-specs";
import { createTaskGraph, createTaskScope, type TaskScope } from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;
let scope: TaskScope;
let ids: Map<string, string>;
const actorOf = (orgId: string): Actor => ({ userId: "usr_x", orgId, role: "VIEWER" });

// 1 fans out to 2, 3 and 4, which join in 5; 6 follows 5.
const diamond = [
  { key: "1", dependsOn: [] },
  { key: "2", dependsOn: ["1"] },
  { key: "3", dependsOn: ["1"] },
  { key: "4", dependsOn: ["1"] },
  { key: "5", dependsOn: ["2", "3", "4"] },
  { key: "6", dependsOn: ["5"] },
];
const state: Record<string, { status: TaskStatus; estimateMinutes: number }> = {
  "1": { status: "DONE", estimateMinutes: 10 },
  "2": { status: "RUNNING", estimateMinutes: 60 },
  "3": { status: "DONE", estimateMinutes: 20 },
  "4": { status: "FAILED", estimateMinutes: 30 },
  "5": { status: "PENDING", estimateMinutes: 10 },
  "6": { status: "PENDING", estimateMinutes: 5 },
};

beforeAll(async () => {
  database = await createTestDatabase();
  scope = await createTaskScope(db(), { name: "Graph" });
  ids = await createTaskGraph(db(), scope, diamond);
  for (const [key, data] of Object.entries(state)) {
    await db().task.update({ where: { id: ids.get(key)! }, data });
  }
});
afterAll(async () => {
  await database?.drop();
});

describe("getTaskGraph", () => {
  it("returns the tasks in dependency order with one edge per dependency", async () => {
    const graph = await getTaskGraph(db(), {
      actor: actorOf(scope.orgId),
      input: { specId: scope.specId },
    });
    expect(graph.spec.id).toBe(scope.specId);
    expect(graph.nodes.map((n) => n.key)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(graph.edges.map((e) => e.id).sort()).toEqual(
      ["1->2", "1->3", "1->4", "2->5", "3->5", "4->5", "5->6"].sort(),
    );
    expect(graph.edges.find((e) => e.id === "4->5")).toMatchObject({ source: "4", target: "5" });
    // Nodes carry the task's id (for the drawer) and its dependencies by key.
    expect(graph.nodes.find((n) => n.key === "5")).toMatchObject({
      id: ids.get("5"),
      dependsOn: ["2", "3", "4"],
    });
    expect(graph.done).toBe(2);
    expect(graph.active).toBe(true);
  });

  it("says what each waiting task waits for, and marks the edges it waits on", async () => {
    const graph = await getTaskGraph(db(), {
      actor: actorOf(scope.orgId),
      input: { specId: scope.specId },
    });
    const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
    expect(byKey.get("5")!.blockedBy).toEqual([
      { key: "2", status: "RUNNING" },
      { key: "4", status: "FAILED" },
    ]);
    expect(byKey.get("6")!.blockedBy).toEqual([{ key: "5", status: "PENDING" }]);
    // Running, done and failed tasks are not "blocked", whatever their dependencies.
    for (const key of ["1", "2", "3", "4"]) expect(byKey.get(key)!.blockedBy).toEqual([]);
    const flagged = (flag: "blocked" | "running" | "critical") =>
      graph.edges
        .filter((e) => e[flag])
        .map((e) => e.id)
        .sort();
    expect(flagged("blocked")).toEqual(["2->5", "4->5", "5->6"]);
    expect(flagged("running")).toEqual(["1->2", "2->5"]);
  });

  it("highlights the critical path by estimated minutes", async () => {
    const graph = await getTaskGraph(db(), {
      actor: actorOf(scope.orgId),
      input: { specId: scope.specId },
    });
    expect(graph.criticalPath).toEqual({ keys: ["1", "2", "5", "6"], minutes: 85 });
    expect(graph.nodes.filter((n) => n.critical).map((n) => n.key)).toEqual(["1", "2", "5", "6"]);
    expect(
      graph.edges
        .filter((e) => e.critical)
        .map((e) => e.id)
        .sort(),
    ).toEqual(["1->2", "2->5", "5->6"]);
  });

  it("answers NOT_FOUND for another organization's spec", async () => {
    const other = await createTaskScope(db(), { name: "Other" });
    await expect(
      getTaskGraph(db(), { actor: actorOf(other.orgId), input: { specId: scope.specId } }),
    ).rejects.toSatisfy((error) => error instanceof AppError && error.code === "NOT_FOUND");
  });
});

describe("listGraphSpecs", () => {
  it("lists the organization's specs with tasks, executing ones first", async () => {
    const org = await createTaskScope(db(), { name: "Switcher" });
    const done = await createTaskScope(db(), { name: "Done", orgId: org.orgId });
    const empty = await createTaskScope(db(), { name: "Empty", orgId: org.orgId });
    await createTaskGraph(db(), org, [{ key: "1", dependsOn: [] }]);
    await createTaskGraph(db(), done, [
      { key: "1", dependsOn: [] },
      { key: "2", dependsOn: ["1"] },
    ]);
    // The finished spec changed last, yet the executing one comes first.
    await db().spec.update({ where: { id: done.specId }, data: { state: "DONE" } });
    const specs = await listGraphSpecs(db(), { actor: actorOf(org.orgId) });
    expect(specs.map((s) => [s.id, s.state, s.taskCount])).toEqual([
      [org.specId, "EXECUTING", 1],
      [done.specId, "DONE", 2],
    ]);
    expect(specs.some((s) => s.id === empty.specId || s.id === scope.specId)).toBe(false);
  });
});
