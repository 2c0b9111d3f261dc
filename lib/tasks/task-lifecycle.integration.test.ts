import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { cancelTask } from "./cancel-task";
import { claimTasks } from "./claim-tasks";
import { completeTask, failTask, markNeedsAttention } from "./finish-task";
import { heartbeatTask } from "./heartbeat-task";
import { queueReadyTasks } from "./queue-ready-tasks";
import { requeueStaleTasks } from "./requeue-stale-tasks";
import { setTaskVerifying } from "./set-task-verifying";
import { queueProblems } from "./testing/queue-lines";
import {
  createTaskGraph,
  createTaskScope,
  createTasks,
  type TaskScope,
} from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});
// The queue is global: each test starts with none of the previous test's tasks.
beforeEach(async () => {
  await db().task.deleteMany();
});

const statusOf = async (id: string) =>
  (await db().task.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

const diamond = [
  { key: "1", dependsOn: [] },
  { key: "2", dependsOn: ["1"] },
  { key: "3", dependsOn: ["1"] },
  { key: "4", dependsOn: ["2", "3"] },
];

async function claimOne(workerId: string, now?: Date) {
  const [task] = await claimTasks(db(), { workerId, limit: 1, now });
  if (!task) throw new Error("nothing to claim");
  return task;
}

describe("dependencies", () => {
  it("queues a diamond's tasks as their dependencies finish", async () => {
    const scope = await createTaskScope(db());
    const ids = await createTaskGraph(db(), scope, diamond);
    const id = (key: string) => ids.get(key)!;

    expect(await queueReadyTasks(db(), { specId: scope.specId })).toEqual([id("1")]);
    // Nothing new on a second call.
    expect(await queueReadyTasks(db(), { specId: scope.specId })).toEqual([]);

    const root = await claimOne("w");
    expect(root.id).toBe(id("1"));
    const done = await completeTask(db(), { taskId: root.id, workerId: "w" });
    expect(done.queued).toEqual([id("2"), id("3")]);
    expect(await statusOf(id("4"))).toBe("PENDING");

    const [left, right] = await claimTasks(db(), { workerId: "w", limit: 2 });
    expect((await completeTask(db(), { taskId: left!.id, workerId: "w" })).queued).toEqual([]);
    expect(await statusOf(id("4"))).toBe("PENDING");
    expect((await completeTask(db(), { taskId: right!.id, workerId: "w" })).queued).toEqual([
      id("4"),
    ]);

    const queuedEvents = await db().activityEvent.findMany({
      where: { specId: scope.specId, type: "task.queued" },
      select: { taskId: true, actorKind: true },
    });
    expect(queuedEvents.map((e) => e.taskId).sort()).toEqual([...ids.values()].sort());
    expect(await db().activityEvent.count({ where: { type: "task.completed" } })).toBe(3);
  });

  it("queues the common dependent when its two dependencies finish at the same moment", async () => {
    for (let round = 0; round < 5; round++) {
      const scope = await createTaskScope(db());
      const ids = await createTaskGraph(db(), scope, diamond);
      await queueReadyTasks(db(), { specId: scope.specId });
      await completeTask(db(), { taskId: (await claimOne("w")).id, workerId: "w" });
      const [a, b] = await claimTasks(db(), { workerId: "w", limit: 2 });
      await Promise.all([
        completeTask(db(), { taskId: a!.id, workerId: "w" }),
        completeTask(db(), { taskId: b!.id, workerId: "w" }),
      ]);
      expect(await statusOf(ids.get("4")!)).toBe("QUEUED");
      await db().task.deleteMany();
    }
  });

  it("queues nothing for a cancelled spec", async () => {
    const scope = await createTaskScope(db());
    await createTaskGraph(db(), scope, diamond);
    await db().spec.update({ where: { id: scope.specId }, data: { state: "CANCELLED" } });
    expect(await queueReadyTasks(db(), { specId: scope.specId })).toEqual([]);
  });
});

describe("leases and heartbeats", () => {
  let scope: TaskScope;
  beforeEach(async () => {
    scope = await createTaskScope(db());
  });

  it("extends the lease on each heartbeat while the worker holds the task", async () => {
    await createTasks(db(), scope, 1);
    const t0 = new Date("2030-01-01T00:00:00.000Z");
    const task = await claimOne("w", t0);
    const t1 = new Date(t0.getTime() + 30_000);
    expect(
      await heartbeatTask(db(), { taskId: task.id, workerId: "w", leaseMs: 90_000, now: t1 }),
    ).toBe(true);
    const row = await db().task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row.leaseExpiresAt).toEqual(new Date(t1.getTime() + 90_000));
    expect(row.lastHeartbeatAt).toEqual(t1);
    // Not stale at t0 + 100 s: the heartbeat moved the lease.
    expect(await requeueStaleTasks(db(), { now: new Date(t0.getTime() + 100_000) })).toEqual({
      requeued: [],
      failed: [],
    });
    expect(await heartbeatTask(db(), { taskId: task.id, workerId: "someone-else" })).toBe(false);
  });

  it("requeues a task whose worker stopped heart-beating, and the old worker's heartbeat fails", async () => {
    await createTasks(db(), scope, 1);
    const task = await claimOne("w");
    const later = new Date(Date.now() + 91_000);
    const swept = await requeueStaleTasks(db(), { now: later });
    expect(swept).toEqual({ requeued: [task.id], failed: [] });

    const row = await db().task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row.status).toBe("QUEUED");
    expect(row.leaseOwner).toBeNull();
    expect(row.notBefore!.getTime()).toBeGreaterThan(later.getTime());

    expect(await heartbeatTask(db(), { taskId: task.id, workerId: "w" })).toBe(false);
    expect(await codeOf(completeTask(db(), { taskId: task.id, workerId: "w" }))).toBe("CONFLICT");

    const event = await db().activityEvent.findFirstOrThrow({
      where: { taskId: task.id, type: "task.requeued" },
    });
    expect(event.actorKind).toBe("SYSTEM");
    expect(event.data).toMatchObject({ from: "RUNNING", to: "QUEUED", cause: "lost_worker" });
  });

  it("fails a task that lost its worker on every attempt", async () => {
    const [id] = await createTasks(db(), scope, 1, { maxAttempts: 2 });
    let now = new Date();
    await claimOne("w1", now);
    now = new Date(now.getTime() + 91_000);
    expect((await requeueStaleTasks(db(), { now })).requeued).toEqual([id]);
    // Not claimable during its backoff; claimable after.
    expect(await claimTasks(db(), { workerId: "w2", now })).toEqual([]);
    const { notBefore } = await db().task.findUniqueOrThrow({ where: { id: id! } });
    now = new Date(notBefore!.getTime() + 1);
    expect((await claimOne("w2", now)).attempts).toBe(2);
    now = new Date(now.getTime() + 91_000);

    expect(await requeueStaleTasks(db(), { now })).toEqual({ requeued: [], failed: [id] });
    const row = await db().task.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ status: "FAILED", leaseOwner: null, finishedAt: now });
    expect(row.attentionReason).toBe("Lost its worker 2 times");
    const event = await db().activityEvent.findFirstOrThrow({
      where: { taskId: id, type: "task.failed" },
    });
    expect(event.data).toMatchObject({ to: "FAILED", reason: "Lost its worker 2 times" });
  });

  it("takes back a task that runs past its time limit even while it heartbeats", async () => {
    const [id] = await createTasks(db(), scope, 1, { timeoutSeconds: 60 });
    const t0 = new Date();
    await claimOne("w", t0);
    // Its worker should have stopped it at 60 s; a lease later the sweeper takes it back.
    expect(
      (await requeueStaleTasks(db(), { now: new Date(t0.getTime() + 61_000) })).requeued,
    ).toEqual([]);
    const t1 = new Date(t0.getTime() + 151_000);
    expect(await heartbeatTask(db(), { taskId: id!, workerId: "w", now: t1 })).toBe(true);
    expect((await requeueStaleTasks(db(), { now: t1 })).requeued).toEqual([id]);
    const event = await db().activityEvent.findFirstOrThrow({
      where: { taskId: id, type: "task.requeued" },
    });
    expect(event.data).toMatchObject({ cause: "timed_out", reason: "Timed out after 60 s" });
    expect(await heartbeatTask(db(), { taskId: id!, workerId: "w" })).toBe(false);
  });

  it("refuses a heartbeat or a completion from an attempt the worker no longer holds", async () => {
    const [id] = await createTasks(db(), scope, 1);
    await claimOne("w");
    await failTask(db(), { taskId: id!, workerId: "w", error: "flaky", retryable: true });
    const { notBefore } = await db().task.findUniqueOrThrow({ where: { id: id! } });
    // The same worker claims it again; the first attempt's stragglers are fenced off.
    await claimOne("w", new Date(notBefore!.getTime() + 1));
    expect(await heartbeatTask(db(), { taskId: id!, workerId: "w", attempt: 1 })).toBe(false);
    expect(await codeOf(completeTask(db(), { taskId: id!, workerId: "w", attempt: 1 }))).toBe(
      "CONFLICT",
    );
    expect(await heartbeatTask(db(), { taskId: id!, workerId: "w", attempt: 2 })).toBe(true);
  });
});

describe("finishing a task", () => {
  let scope: TaskScope;
  beforeEach(async () => {
    scope = await createTaskScope(db());
  });

  it("retries a retryable failure after a backoff, and not before", async () => {
    const [id] = await createTasks(db(), scope, 1);
    const t0 = new Date();
    await claimOne("w", t0);
    const failed = await failTask(db(), {
      taskId: id!,
      workerId: "w",
      error: "rate limited",
      retryable: true,
      now: t0,
    });
    expect(failed.status).toBe("QUEUED");
    const row = await db().task.findUniqueOrThrow({ where: { id: id! } });
    expect(row.leaseOwner).toBeNull();
    expect(row.notBefore!.getTime()).toBeGreaterThanOrEqual(t0.getTime() + 5_000);
    expect(row.notBefore!.getTime()).toBeLessThanOrEqual(t0.getTime() + 10_000);

    expect(
      await claimTasks(db(), { workerId: "w", now: new Date(row.notBefore!.getTime() - 1) }),
    ).toEqual([]);
    const again = await claimOne("w", row.notBefore!);
    expect(again.attempts).toBe(2);

    const event = await db().activityEvent.findFirstOrThrow({
      where: { taskId: id, type: "task.requeued" },
    });
    expect(event.data).toMatchObject({ cause: "retryable_error", reason: "rate limited" });
  });

  it("backs off longer after each failure and fails once the attempts run out", async () => {
    const [id] = await createTasks(db(), scope, 1, { maxAttempts: 3 });
    let now = new Date();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await claimOne("w", now);
      await failTask(db(), {
        taskId: id!,
        workerId: "w",
        error: "boom",
        retryable: true,
        now,
        backoff: { random: () => 0 },
      });
      const row = await db().task.findUniqueOrThrow({ where: { id: id! } });
      if (row.status === "FAILED") {
        expect(attempt).toBe(3);
        expect(row.attentionReason).toBe("boom (gave up after 3 attempts)");
        break;
      }
      delays.push(row.notBefore!.getTime() - now.getTime());
      now = row.notBefore!;
    }
    expect(delays).toEqual([5_000, 10_000]);
  });

  it("fails a permanent error at once with the error as the reason", async () => {
    const [id] = await createTasks(db(), scope, 1);
    await claimOne("w");
    await failTask(db(), { taskId: id!, workerId: "w", error: "no repository", retryable: false });
    const row = await db().task.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ status: "FAILED", attentionReason: "no repository" });
    expect(row.finishedAt).not.toBeNull();
    expect(
      await codeOf(failTask(db(), { taskId: id!, workerId: "w", error: "x", retryable: false })),
    ).toBe("CONFLICT");
  });

  it("refuses to finish a task for a worker that does not hold it", async () => {
    const [id] = await createTasks(db(), scope, 1);
    await claimOne("w");
    expect(await codeOf(completeTask(db(), { taskId: id!, workerId: "intruder" }))).toBe(
      "CONFLICT",
    );
    expect(
      await codeOf(markNeedsAttention(db(), { taskId: id!, workerId: "intruder", reason: "?" })),
    ).toBe("CONFLICT");
    expect(await codeOf(completeTask(db(), { taskId: "tsk_missing", workerId: "w" }))).toBe(
      "NOT_FOUND",
    );
    expect(await statusOf(id!)).toBe("RUNNING");
  });

  it("counts a verifying task against the plan, but not one that needs a person", async () => {
    const free = await createTaskScope(db(), { plan: "FREE" });
    const [first, second] = await createTasks(db(), free, 2);
    const task = await claimOne("w");
    expect(task.id).toBe(first);
    await setTaskVerifying(db(), { taskId: first!, workerId: "w" });
    await setTaskVerifying(db(), { taskId: first!, workerId: "w" }); // a second round: no-op
    expect(await statusOf(first!)).toBe("VERIFYING");
    expect(await heartbeatTask(db(), { taskId: first!, workerId: "w" })).toBe(true);
    expect(await claimTasks(db(), { workerId: "w" })).toEqual([]);

    await markNeedsAttention(db(), { taskId: first!, workerId: "w", reason: "tests keep failing" });
    const row = await db().task.findUniqueOrThrow({ where: { id: first! } });
    expect(row).toMatchObject({ status: "NEEDS_ATTENTION", attentionReason: "tests keep failing" });
    expect((await claimOne("w")).id).toBe(second);
    const types = await db().activityEvent.findMany({
      where: { taskId: first },
      orderBy: { createdAt: "asc" },
      select: { type: true },
    });
    expect(types.map((t) => t.type)).toEqual(["task.verifying", "task.needs_attention"]);
  });

  it("completes a verified task and adds the attempt's usage to the task", async () => {
    const [id] = await createTasks(db(), scope, 1);
    await claimOne("w");
    await setTaskVerifying(db(), { taskId: id!, workerId: "w" });
    await completeTask(db(), {
      taskId: id!,
      workerId: "w",
      inputTokens: 1200,
      outputTokens: 300,
      costUsd: 0.0123,
    });
    const row = await db().task.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ status: "DONE", leaseOwner: null, inputTokens: 1200 });
    expect(row.costUsd.toNumber()).toBeCloseTo(0.0123);
    expect(row.finishedAt).not.toBeNull();
  });
});

describe("the scheduler's counters", () => {
  it("match each organization's tasks through every kind of change", async () => {
    const owner = await db().user.create({ data: { email: `o-${Date.now()}@example.com` } });
    const scopes = await Promise.all(
      (["FREE", "PRO", "TEAM"] as const).map((plan) => createTaskScope(db(), { plan })),
    );
    for (const scope of scopes) {
      await db().membership.create({
        data: { orgId: scope.orgId, userId: owner.id, role: "OWNER" },
      });
      await createTasks(db(), scope, 6);
      await createTaskGraph(db(), scope, diamond);
      await queueReadyTasks(db(), { specId: scope.specId });
    }
    let now = new Date();
    for (let round = 0; round < 6; round++) {
      const claimed = await claimTasks(db(), { workerId: `w${round}`, limit: 4, now });
      for (const [i, task] of claimed.entries()) {
        const lease = { taskId: task.id, workerId: `w${round}` };
        if (i % 4 === 0) await completeTask(db(), { ...lease, now });
        else if (i % 4 === 1) await failTask(db(), { ...lease, error: "x", retryable: true, now });
        else if (i % 4 === 2) await setTaskVerifying(db(), lease);
        else await markNeedsAttention(db(), { ...lease, reason: "look" });
      }
      now = new Date(now.getTime() + 120_000);
      await requeueStaleTasks(db(), { now });
    }
    const victim = await db().task.findFirstOrThrow({ where: { status: "QUEUED" } });
    const actor = { userId: owner.id, orgId: victim.orgId, role: "OWNER" as const };
    await cancelTask(db(), { actor, taskId: victim.id });
    await db().task.deleteMany({ where: { orgId: scopes[0]!.orgId, status: "RUNNING" } });

    // Counters and lines exact: in line, the first of each organization's queued tasks not
    // backing off, as many as it may start now, tags in rank order.
    expect(
      await queueProblems(
        db(),
        scopes.map((scope) => scope.orgId),
      ),
    ).toEqual([]);
  });
});
