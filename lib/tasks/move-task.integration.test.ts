import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toAppError } from "@/lib/api/to-app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { addMember, createUserWithOrg } from "@/prisma/factories";
import { listTasks } from "./list-tasks";
import { moveTask } from "./move-task";
import { reorderTask } from "./reorder-task";
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

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
    return { code: "OK", message: "" };
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.code === "INTERNAL") throw thrown;
    return { code: error.code, message: error.message };
  }
}

async function row(id: string) {
  return db().task.findUniqueOrThrow({
    where: { id },
    select: { status: true, rank: true, finishedAt: true, attempts: true },
  });
}

async function events(taskId: string) {
  return db().activityEvent.findMany({
    where: { taskId },
    orderBy: { seq: "asc" },
    select: { type: true, actorId: true, data: true },
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  owner = (await createUserWithOrg(db(), "Ada")).actor;
  stranger = (await createUserWithOrg(db(), "Mallory")).actor;
  viewer = (await addMember(db(), owner.orgId, "VIEWER")).actor;
  scope = await createTaskScope(db(), { orgId: owner.orgId });
});
afterAll(async () => {
  await database?.drop();
});

describe("moveTask", () => {
  it("retries a failed task by moving it to Queued, and records who did", async () => {
    const [id] = await createTasks(db(), scope, 1, { status: "FAILED", notBefore: new Date(9e12) });
    const moved = await moveTask(db(), { actor: owner, input: { taskId: id!, to: "QUEUED" } });
    expect(moved).toMatchObject({ from: "FAILED", status: "QUEUED", event: "retry" });
    expect((await row(id!)).status).toBe("QUEUED");
    expect(await events(id!)).toEqual([
      expect.objectContaining({ type: "task.retried", actorId: owner.userId }),
    ]);
  });

  it("cancels a pending task by moving it to Cancelled", async () => {
    const [id] = await createTasks(db(), scope, 1, { status: "PENDING" });
    await moveTask(db(), { actor: owner, input: { taskId: id!, to: "CANCELLED" } });
    expect((await row(id!)).status).toBe("CANCELLED");
    expect((await events(id!)).map((e) => e.type)).toEqual(["task.cancelled"]);
  });

  it("marks a task that needs attention done, queues its now-ready dependent and finishes the spec", async () => {
    const graphScope = await createTaskScope(db(), { orgId: owner.orgId });
    const ids = await createTaskGraph(db(), graphScope, [
      { key: "1", dependsOn: [] },
      { key: "2", dependsOn: ["1"] },
    ]);
    const first = ids.get("1")!;
    const second = ids.get("2")!;
    await db().task.update({
      where: { id: first },
      data: { status: "NEEDS_ATTENTION", attentionReason: "Tests keep failing" },
    });

    await moveTask(db(), { actor: owner, input: { taskId: first, to: "DONE" } });
    expect(await row(first)).toMatchObject({ status: "DONE", finishedAt: expect.any(Date) });
    expect((await row(second)).status).toBe("QUEUED");
    expect((await events(first)).map((e) => e.type)).toEqual(["task.resolved"]);

    // The last task done by hand finishes the spec, as a completed run would.
    await db().task.update({ where: { id: second }, data: { status: "NEEDS_ATTENTION" } });
    await moveTask(db(), { actor: owner, input: { taskId: second, to: "DONE" } });
    const spec = await db().spec.findUniqueOrThrow({ where: { id: graphScope.specId } });
    expect(spec.state).toBe("DONE");
  });

  it("refuses a pending task dragged to Done with a message that says why, and changes nothing", async () => {
    const [id] = await createTasks(db(), scope, 1, { status: "PENDING", rank: 7 });
    const before = await row(id!);
    const error = await refusal(
      moveTask(db(), { actor: owner, input: { taskId: id!, to: "DONE" } }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(
      /^Cannot move .+ to Done: a pending task is marked done when its verification passes/,
    );
    expect(await row(id!)).toEqual(before);
    expect(await events(id!)).toEqual([]);
  });

  it("refuses every move no person may make", async () => {
    const cases = [
      ["QUEUED", "RUNNING"],
      ["RUNNING", "DONE"],
      ["DONE", "QUEUED"],
      ["CANCELLED", "PENDING"],
      ["FAILED", "DONE"],
    ] as const;
    for (const [from, to] of cases) {
      const [id] = await createTasks(db(), scope, 1, { status: from, notBefore: new Date(9e12) });
      const error = await refusal(moveTask(db(), { actor: owner, input: { taskId: id!, to } }));
      expect({ from, to, code: error.code }).toEqual({ from, to, code: "CONFLICT" });
      expect((await row(id!)).status).toBe(from);
    }
  });

  it("answers NOT_FOUND for another organization's task and FORBIDDEN for a viewer", async () => {
    const [id] = await createTasks(db(), scope, 1, { status: "FAILED" });
    expect(
      (await refusal(moveTask(db(), { actor: stranger, input: { taskId: id!, to: "QUEUED" } })))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await refusal(moveTask(db(), { actor: viewer, input: { taskId: id!, to: "QUEUED" } }))).code,
    ).toBe("FORBIDDEN");
    expect((await row(id!)).status).toBe("FAILED");
  });

  it("rejects an unknown status as invalid input", async () => {
    const [id] = await createTasks(db(), scope, 1, { status: "FAILED" });
    const error = await refusal(
      moveTask(db(), { actor: owner, input: { taskId: id!, to: "ARCHIVED" as "DONE" } }),
    );
    expect(error.code).toBe("INVALID");
    expect((await row(id!)).status).toBe("FAILED");
  });
});

describe("reorderTask", () => {
  async function columnOrder(specId: string): Promise<string[]> {
    const { items } = await listTasks(db(), { actor: owner, specId, limit: 500 });
    return items.map((t) => t.key);
  }

  it("moves a task between two others and keeps the new order after a reload", async () => {
    const s = await createTaskScope(db(), { orgId: owner.orgId });
    const ids = await createTasks(db(), s, 4, (i) => ({
      key: `k${i + 1}`,
      status: "PENDING",
      rank: i,
    }));
    // k4 goes between k1 and k2.
    await reorderTask(db(), {
      actor: owner,
      input: { taskId: ids[3]!, aboveId: ids[0]!, belowId: ids[1]! },
    });
    expect(await columnOrder(s.specId)).toEqual(["k1", "k4", "k2", "k3"]);
    // k1 goes last, then k3 first.
    await reorderTask(db(), {
      actor: owner,
      input: { taskId: ids[0]!, aboveId: ids[2]!, belowId: null },
    });
    await reorderTask(db(), {
      actor: owner,
      input: { taskId: ids[2]!, aboveId: null, belowId: ids[3]! },
    });
    expect(await columnOrder(s.specId)).toEqual(["k3", "k4", "k2", "k1"]);
    const event = (await events(ids[3]!)).at(-1);
    expect(event).toMatchObject({
      type: "task.reordered",
      actorId: owner.userId,
      data: { key: "k4", direction: "up", aboveKey: "k1", belowKey: "k2" },
    });
  });

  it("makes room between tasks of equal rank without changing anyone else's order", async () => {
    const s = await createTaskScope(db(), { orgId: owner.orgId });
    // All rank 0: the order is their age.
    const ids = await createTasks(db(), s, 5, (i) => ({ key: `e${i + 1}`, status: "PENDING" }));
    await reorderTask(db(), {
      actor: owner,
      input: { taskId: ids[4]!, aboveId: ids[1]!, belowId: ids[2]! },
    });
    expect(await columnOrder(s.specId)).toEqual(["e1", "e2", "e5", "e3", "e4"]);
    // Many moves into the same gap keep working (bisection, then renumbering when it runs out).
    for (let i = 0; i < 60; i++) {
      const [mover, above, below] =
        i % 2 === 0 ? [ids[4]!, ids[1]!, ids[2]!] : [ids[2]!, ids[1]!, ids[4]!];
      await reorderTask(db(), {
        actor: owner,
        input: { taskId: mover, aboveId: above, belowId: below },
      });
    }
    // The last (60th) move put e3 back between e2 and e5; each halved the gap below e2.
    expect(await columnOrder(s.specId)).toEqual(["e1", "e2", "e3", "e5", "e4"]);
  });

  it("refuses neighbours given in the wrong order, and changes nothing", async () => {
    const s = await createTaskScope(db(), { orgId: owner.orgId });
    const ids = await createTasks(db(), s, 3, (i) => ({
      key: `w${i + 1}`,
      status: "PENDING",
      rank: i * 10,
    }));
    const before = await Promise.all(ids.map(row));
    const error = await refusal(
      reorderTask(db(), {
        actor: owner,
        input: { taskId: ids[0]!, aboveId: ids[2]!, belowId: ids[1]! },
      }),
    );
    expect(error).toEqual({
      code: "CONFLICT",
      message: "The board changed while you were moving the task. Reload and try again.",
    });
    expect(await Promise.all(ids.map(row))).toEqual(before);
    expect(await events(ids[0]!)).toEqual([]);
  });

  it("answers NOT_FOUND when the task or a neighbour belongs to another organization", async () => {
    const mine = await createTasks(db(), scope, 2, { status: "PENDING" });
    const strangerScope = await createTaskScope(db(), { orgId: stranger.orgId });
    const [theirs] = await createTasks(db(), strangerScope, 1, { status: "PENDING" });
    const before = await row(mine[0]!);
    for (const input of [
      { taskId: mine[0]!, aboveId: theirs!, belowId: null },
      { taskId: theirs!, aboveId: mine[0]!, belowId: null },
    ]) {
      expect((await refusal(reorderTask(db(), { actor: owner, input }))).code).toBe("NOT_FOUND");
    }
    expect(
      (
        await refusal(
          reorderTask(db(), { actor: stranger, input: { taskId: mine[0]!, aboveId: mine[1]! } }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(await row(mine[0]!)).toEqual(before);
  });

  it("refuses a task placed next to itself, or with no neighbour named", async () => {
    const [a] = await createTasks(db(), scope, 1, { status: "PENDING" });
    expect(
      (await refusal(reorderTask(db(), { actor: owner, input: { taskId: a!, aboveId: a! } }))).code,
    ).toBe("INVALID");
    expect((await refusal(reorderTask(db(), { actor: owner, input: { taskId: a! } }))).code).toBe(
      "INVALID",
    );
  });
});
