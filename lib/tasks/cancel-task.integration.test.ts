import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { addMember, createUserWithOrg } from "@/prisma/factories";
import { cancelTask } from "./cancel-task";
import { claimTasks } from "./claim-tasks";
import { getTask } from "./get-task";
import { heartbeatTask } from "./heartbeat-task";
import { listTasks } from "./list-tasks";
import {
  createTaskGraph,
  createTaskScope,
  createTasks,
  type TaskScope,
} from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;
let owner: Actor;
let viewer: Actor;
let stranger: Actor;
let scope: TaskScope;
let strangerScope: TaskScope;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  owner = (await createUserWithOrg(db(), "Ada")).actor;
  stranger = (await createUserWithOrg(db(), "Mallory")).actor;
  viewer = (await addMember(db(), owner.orgId, "VIEWER")).actor;
  await db().organization.update({ where: { id: owner.orgId }, data: { plan: "TEAM" } });
  scope = await createTaskScope(db(), { orgId: owner.orgId });
  strangerScope = await createTaskScope(db(), { orgId: stranger.orgId });
});
afterAll(async () => {
  await database?.drop();
});

describe("cancelTask", () => {
  it("cancels a running task; its worker finds out on the next heartbeat", async () => {
    const [id] = await createTasks(db(), scope, 1);
    const [task] = await claimTasks(db(), { workerId: "w" });
    expect(task!.id).toBe(id);

    const cancelled = await cancelTask(db(), { actor: owner, taskId: id! });
    expect(cancelled.status).toBe("CANCELLED");
    const row = await db().task.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ status: "CANCELLED", leaseOwner: null, leaseExpiresAt: null });
    expect(await heartbeatTask(db(), { taskId: id!, workerId: "w" })).toBe(false);

    const event = await db().activityEvent.findFirstOrThrow({
      where: { taskId: id, type: "task.cancelled" },
    });
    expect(event).toMatchObject({ actorKind: "USER", actorId: owner.userId });
    expect(event.data).toMatchObject({ from: "RUNNING", to: "CANCELLED", workerId: "w" });

    const again = cancelTask(db(), { actor: owner, taskId: id! });
    await expect(again).rejects.toThrowError("Cannot cancel the task: the task is cancelled.");
  });

  it("hides other organizations' tasks and refuses viewers", async () => {
    const [mine] = await createTasks(db(), scope, 1, { status: "PENDING" });
    const [theirs] = await createTasks(db(), strangerScope, 1, { status: "PENDING" });
    expect(await codeOf(cancelTask(db(), { actor: stranger, taskId: mine! }))).toBe("NOT_FOUND");
    expect(await codeOf(cancelTask(db(), { actor: owner, taskId: theirs! }))).toBe("NOT_FOUND");
    expect(await codeOf(cancelTask(db(), { actor: viewer, taskId: mine! }))).toBe("FORBIDDEN");
    const rows = await db().task.findMany({ where: { id: { in: [mine!, theirs!] } } });
    expect(rows.map((r) => r.status)).toEqual(["PENDING", "PENDING"]);
  });
});

describe("reading tasks", () => {
  it("gets a task with its dependencies both ways, only in its own organization", async () => {
    const specScope = await createTaskScope(db(), { orgId: owner.orgId });
    const ids = await createTaskGraph(db(), specScope, [
      { key: "1", dependsOn: [] },
      { key: "2", dependsOn: ["1"] },
      { key: "3", dependsOn: ["2"] },
    ]);
    const task = await getTask(db(), { actor: viewer, taskId: ids.get("2")! });
    expect(task.key).toBe("2");
    expect(task.spec.id).toBe(specScope.specId);
    expect(task.dependsOn.map((d) => d.key)).toEqual(["1"]);
    expect(task.dependents.map((d) => d.key)).toEqual(["3"]);
    expect(await codeOf(getTask(db(), { actor: stranger, taskId: ids.get("2")! }))).toBe(
      "NOT_FOUND",
    );
  });

  it("lists a spec's tasks in queue order, by status, page by page", async () => {
    const specScope = await createTaskScope(db(), { orgId: owner.orgId });
    const ids = await createTasks(db(), specScope, 5, (i) => ({
      rank: 5 - i,
      status: i % 2 === 0 ? "QUEUED" : "PENDING",
    }));
    const page = await listTasks(db(), { actor: viewer, specId: specScope.specId, limit: 3 });
    expect(page.items.map((t) => t.id)).toEqual([ids[4], ids[3], ids[2]]);
    const rest = await listTasks(db(), {
      actor: viewer,
      specId: specScope.specId,
      limit: 3,
      cursor: page.nextCursor!,
    });
    expect(rest.items.map((t) => t.id)).toEqual([ids[1], ids[0]]);
    expect(rest.nextCursor).toBeNull();

    const pending = await listTasks(db(), {
      actor: owner,
      specId: specScope.specId,
      status: "PENDING",
    });
    expect(pending.items.map((t) => t.id)).toEqual([ids[3], ids[1]]);
    const theirs = await listTasks(db(), { actor: stranger, specId: specScope.specId });
    expect(theirs.items).toEqual([]);
  });
});
