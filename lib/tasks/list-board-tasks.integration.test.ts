import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { listBoardTasks } from "./list-board-tasks";
import { createTaskGraph, createTaskScope, type TaskScope } from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;
let checkout: TaskScope;
let search: TaskScope;
const actorOf = (orgId: string): Actor => ({ userId: "usr_x", orgId, role: "VIEWER" });
const startedAt = new Date("2026-12-01T10:00:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  checkout = await createTaskScope(db(), { name: "Checkout" });
  search = await createTaskScope(db(), { name: "Search", orgId: checkout.orgId });
  await createTaskGraph(db(), checkout, [
    { key: "1", status: "DONE", rank: 0, dependsOn: [] },
    {
      key: "2",
      status: "RUNNING",
      rank: 1,
      dependsOn: ["1"],
      agentKind: "CLAUDE",
      costUsd: 0.42,
      startedAt,
    },
    { key: "3", status: "PENDING", rank: 2, dependsOn: ["1", "2"], labels: ["ui"] },
  ]);
  await createTaskGraph(db(), search, [
    { key: "1", status: "DONE", rank: 3, dependsOn: [], startedAt },
  ]);
});
afterAll(async () => {
  await database?.drop();
});

describe("listBoardTasks", () => {
  it("sends what each card shows, leaves empty values out, and each spec once", async () => {
    const { tasks, specs, truncated } = await listBoardTasks(db(), {
      actor: actorOf(checkout.orgId),
    });
    expect(truncated).toBe(false);
    expect(tasks.map((t) => `${specs[t.specId]?.title} ${t.key}`)).toEqual([
      "Checkout 1",
      "Checkout 2",
      "Checkout 3",
      "Search 1",
    ]);
    expect(specs).toEqual({
      [checkout.specId]: { title: "Checkout", projectName: "Checkout" },
      [search.specId]: { title: "Search", projectName: "Search" },
    });
    const [done, running, pending, searchDone] = tasks;
    // A running task: its agent, cost and start (the card shows how long it has run).
    expect(running).toMatchObject({
      status: "RUNNING",
      agent: "Claude",
      costUsd: 0.42,
      startedAt: startedAt.toISOString(),
    });
    expect(running).not.toHaveProperty("blockedBy");
    // A pending task is blocked by the dependencies not yet done, by key.
    expect(pending).toMatchObject({ status: "PENDING", labels: ["ui"], blockedBy: ["2"] });
    // Nothing to show: no agent, cost, start or blockers are sent.
    for (const task of [done, searchDone]) {
      expect(Object.keys(task!).sort()).toEqual(
        ["id", "key", "labels", "phase", "requirementIds", "specId", "status", "title"].sort(),
      );
    }
  });

  it("shows another organization's board nothing of this one", async () => {
    const other = await createTaskScope(db(), { name: "Other" });
    const { tasks, specs } = await listBoardTasks(db(), { actor: actorOf(other.orgId) });
    expect(tasks).toEqual([]);
    expect(specs).toEqual({});
  });
});
