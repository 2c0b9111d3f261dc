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

  it("a task in progress shows who runs its attempt, since when, and the attempt's cost so far", async () => {
    const scope = await createTaskScope(db(), { name: "Runs" });
    const ids = await createTaskGraph(db(), scope, [
      // The built-in runner: the task names no agent; its run does. $0.10 from a failed attempt.
      { key: "1", status: "RUNNING", dependsOn: [], costUsd: 0.1, startedAt },
      { key: "2", status: "VERIFYING", dependsOn: [], startedAt },
      { key: "3", status: "DONE", dependsOn: [], costUsd: 0.003 },
    ]);
    const runner = await db().runner.create({
      data: {
        orgId: scope.orgId,
        name: "build-box-7",
        tokenPrefix: "trr_x",
        tokenHash: `hash-${scope.orgId}`,
      },
    });
    const run = (taskId: string, data: object) =>
      db().run.create({ data: { orgId: scope.orgId, taskId, specId: scope.specId, ...data } });
    // The failed attempt (finished) and a run a lost worker left open, both superseded.
    await run(ids.get("1")!, { agentKind: "CLI", costUsd: 0.1, finishedAt: startedAt });
    await run(ids.get("1")!, { agentKind: "CLI", costUsd: 5, createdAt: new Date(0) });
    await run(ids.get("1")!, { agentKind: "OFFLINE", costUsd: 0.0512, startedAt });
    await run(ids.get("2")!, { agentKind: "CLAUDE", runnerId: runner.id, startedAt });

    const { tasks } = await listBoardTasks(db(), { actor: actorOf(scope.orgId) });
    const byKey = new Map(tasks.map((t) => [t.key, t]));
    expect(byKey.get("1")).toMatchObject({
      agent: "Offline agent",
      costUsd: 0.1512,
      startedAt: startedAt.toISOString(),
    });
    expect(byKey.get("2")).toMatchObject({
      agent: "build-box-7",
      startedAt: startedAt.toISOString(),
    });
    expect(byKey.get("2")).not.toHaveProperty("costUsd");
    // A finished task: its total, no agent or start.
    expect(byKey.get("3")).toMatchObject({ costUsd: 0.003 });
    expect(byKey.get("3")).not.toHaveProperty("agent");
    expect(byKey.get("3")).not.toHaveProperty("startedAt");
  });

  it("shows another organization's board nothing of this one", async () => {
    const other = await createTaskScope(db(), { name: "Other" });
    const { tasks, specs } = await listBoardTasks(db(), { actor: actorOf(other.orgId) });
    expect(tasks).toEqual([]);
    expect(specs).toEqual({});
  });
});
