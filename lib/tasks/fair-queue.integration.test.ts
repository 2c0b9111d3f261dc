// The fair queue's triggers (migration fair_queue) against what people do to queued work:
// reorder it, pin a project to runners, upgrade, and arrive while others have long queues.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { billingPeriod, blockingStatuses, plans } from "@/lib/billing/plans";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { Plan, SubscriptionStatus } from "@/lib/generated/prisma/enums";
import { seededRandom } from "@/lib/utils/prng";
import { createUserWithOrg } from "@/prisma/factories";
import { claimTasks } from "./claim-tasks";
import { completeTask, failTask } from "./finish-task";
import { reorderTask } from "./reorder-task";
import { queueProblems } from "./testing/queue-lines";
import { createTaskScope, createTasks } from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  await db().task.deleteMany();
});

async function claimOrgs(count: number): Promise<string[]> {
  const orgs: string[] = [];
  for (let i = 0; i < count; i++) {
    const [task] = await claimTasks(db(), { workerId: "w" });
    orgs.push(task?.orgId ?? "none");
  }
  return orgs;
}

describe("the fair queue", () => {
  it("has the plan limits, blocking statuses and billing months of lib/billing/plans.ts", async () => {
    for (const plan of Object.values(Plan)) {
      const [row] = await db().$queryRaw<{ agents: number; runs: number }[]>`
        SELECT trellis_agent_cap(${plan}::"Plan") AS agents, trellis_run_cap(${plan}::"Plan") AS runs`;
      expect(row).toEqual({
        agents: plans[plan].concurrentAgents,
        runs: plans[plan].runsPerMonth,
      });
    }
    for (const status of Object.values(SubscriptionStatus)) {
      const [row] = await db().$queryRaw<{ blocked: boolean }[]>`
        SELECT trellis_billing_blocked(${status}::"SubscriptionStatus") AS blocked`;
      expect(row!.blocked, status).toBe(blockingStatuses.includes(status));
    }
    for (const at of [
      "2026-12-31T23:59:59.999Z",
      "2027-01-01T00:00:00.000Z",
      "2028-02-29T12:00:00Z",
    ]) {
      const [row] = await db().$queryRaw<{ start: Date }[]>`
        SELECT trellis_billing_period(${new Date(at)}::timestamptz) AS start`;
      expect(row!.start).toEqual(billingPeriod(new Date(at)).start);
    }
  });

  it("lets a newcomer in at once, however much another organization has queued and run", async () => {
    const busy = await createTaskScope(db(), { name: "Busy" });
    await createTasks(db(), busy, 60);
    const claimed = await claimTasks(db(), { workerId: "w", limit: 15 });
    for (const task of claimed) await completeTask(db(), { taskId: task.id, workerId: "w" });
    const newcomer = await createTaskScope(db(), { name: "Newcomer" });
    await createTasks(db(), newcomer, 3);
    // Turns alternate from here: the newcomer's history is not held against the busy one, nor
    // the busy one's against the newcomer.
    const orgs = await claimOrgs(6);
    expect(orgs.filter((org) => org === newcomer.orgId)).toHaveLength(3);
    expect(orgs.slice(0, 2).sort()).toEqual([busy.orgId, newcomer.orgId].sort());
  });

  it("claims a queued task next when it is dragged to the top", async () => {
    const scope = await createTaskScope(db());
    const ids = await createTasks(db(), scope, 5, (i) => ({ rank: (i + 1) * 1024 }));
    await db().task.update({ where: { id: ids[4]! }, data: { rank: 1 } });
    await db().task.update({ where: { id: ids[0]! }, data: { rank: 99_999 } });
    const batch = await claimTasks(db(), { workerId: "w", limit: 5 });
    expect(batch.map((task) => task.id)).toEqual([ids[4], ids[1], ids[2], ids[3], ids[0]]);
  });

  it("takes the next by rank into line when a queued task in line is cancelled", async () => {
    const scope = await createTaskScope(db(), { plan: "FREE" });
    const [first, second] = await createTasks(db(), scope, 2);
    await db().task.update({ where: { id: first! }, data: { status: "CANCELLED" } });
    expect((await claimTasks(db(), { workerId: "w" })).map((task) => task.id)).toEqual([second]);
  });

  it("lets an organization's other tasks run while the first backs off after a failure", async () => {
    const scope = await createTaskScope(db(), { plan: "FREE" });
    const [first, second] = await createTasks(db(), scope, 2);
    const [claimed] = await claimTasks(db(), { workerId: "w" });
    expect(claimed!.id).toBe(first);
    await failTask(db(), { taskId: first!, workerId: "w", error: "flaky", retryable: true });
    const backoff = (await db().task.findUniqueOrThrow({ where: { id: first! } })).notBefore!;
    expect(backoff.getTime()).toBeGreaterThan(Date.now());
    // Its one agent is not held for the task that waits: the next one starts.
    expect((await claimTasks(db(), { workerId: "w" })).map((task) => task.id)).toEqual([second]);
    await completeTask(db(), { taskId: second!, workerId: "w" });
    // Once the backoff is over, the first is back in line and runs again.
    const later = new Date(backoff.getTime() + 1);
    const again = await claimTasks(db(), { workerId: "w", now: later });
    expect(again.map((task) => task.id)).toEqual([first]);
  });

  it("leaves tasks of a project pinned to runners to them, and takes them again once unpinned", async () => {
    const scope = await createTaskScope(db());
    const ids = await createTasks(db(), scope, 2);
    await db().project.update({ where: { id: scope.projectId }, data: { runnerLabels: ["gpu"] } });
    expect(await claimTasks(db(), { workerId: "w" })).toEqual([]);
    await db().project.update({ where: { id: scope.projectId }, data: { runnerLabels: [] } });
    const batch = await claimTasks(db(), { workerId: "w", limit: 5 });
    expect(batch.map((task) => task.id)).toEqual(ids);
  });

  it("starts more at once as soon as the organization upgrades", async () => {
    const scope = await createTaskScope(db(), { plan: "FREE" });
    await createTasks(db(), scope, 8);
    expect(await claimTasks(db(), { workerId: "w", limit: 8 })).toHaveLength(1);
    expect(await claimTasks(db(), { workerId: "w", limit: 8 })).toEqual([]);
    await db().organization.update({ where: { id: scope.orgId }, data: { plan: "PRO" } });
    expect(await claimTasks(db(), { workerId: "w", limit: 8 })).toHaveLength(4);
  });

  it("keeps every line exact through single statements that queue, re-rank and cancel hundreds of tasks", async () => {
    const random = seededRandom(11);
    const team = await createTaskScope(db(), { plan: "TEAM", name: "Team" });
    const pro = await createTaskScope(db(), { plan: "PRO", name: "Pro" });
    const orgIds = [team.orgId, pro.orgId];
    for (const scope of [team, pro]) {
      await createTasks(db(), scope, 250, () => ({
        status: "PENDING",
        rank: Math.floor(random() * 1000),
      }));
    }
    // A few already in line, so that lines grow, shrink and reorder rather than start empty.
    await createTasks(db(), pro, 3);
    expect(await queueProblems(db(), orgIds)).toEqual([]);

    const queued = await db().$executeRaw`
      UPDATE "Task" SET status = 'QUEUED' WHERE "orgId" IN (${team.orgId}, ${pro.orgId}) AND status = 'PENDING'`;
    expect(queued).toBe(500);
    expect(await queueProblems(db(), orgIds)).toEqual([]);

    await db().$executeRaw`
      UPDATE "Task" SET rank = 1000 - rank WHERE "orgId" IN (${team.orgId}, ${pro.orgId})`;
    expect(await queueProblems(db(), orgIds)).toEqual([]);

    // 300 cancelled at once, the tasks in line among them.
    const cancelled = await db().$executeRaw`
      UPDATE "Task" SET status = 'CANCELLED' WHERE id IN (
        SELECT id FROM "Task" WHERE "orgId" IN (${team.orgId}, ${pro.orgId})
        ORDER BY rank, "createdAt", id LIMIT 300)`;
    expect(cancelled).toBe(300);
    expect(await queueProblems(db(), orgIds)).toEqual([]);

    // What is left runs by rank: the claims take each line in order.
    const batch = await claimTasks(db(), { workerId: "w", limit: 25 });
    expect(batch).toHaveLength(25);
    const firstByRank = await db().task.findMany({
      where: { orgId: team.orgId, status: { in: ["QUEUED", "RUNNING"] } },
      orderBy: [{ rank: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: { id: true },
      take: batch.filter((task) => task.orgId === team.orgId).length,
    });
    expect(batch.filter((task) => task.orgId === team.orgId).map((task) => task.id)).toEqual(
      firstByRank.map((task) => task.id),
    );
    expect(await queueProblems(db(), orgIds)).toEqual([]);
  });

  it("gives an organization no extra turn when one of its tasks is dragged to the top", async () => {
    const a = await createUserWithOrg(db(), "Alpha");
    await db().organization.update({ where: { id: a.org.id }, data: { plan: "TEAM" } });
    const scopeA = await createTaskScope(db(), { orgId: a.org.id, name: "Alpha" });
    const b = await createTaskScope(db(), { name: "Beta" });
    const [a1, a2, a3, a4] = await createTasks(db(), scopeA, 4, (i) => ({ rank: (i + 1) * 1024 }));
    await createTasks(db(), b, 4, (i) => ({ rank: (i + 1) * 1024 }));
    await reorderTask(db(), {
      actor: a.actor,
      input: { taskId: a4!, aboveId: null, belowId: a1! },
    });

    const claimed = [];
    for (let i = 0; i < 8; i++) claimed.push(...(await claimTasks(db(), { workerId: "w" })));
    // Alpha's turns are the ones it had: still every other claim, the dragged task first.
    expect(claimed.map((task) => task.orgId)).toEqual(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a.org.id : b.orgId)),
    );
    expect(claimed.filter((task) => task.orgId === a.org.id).map((task) => task.id)).toEqual([
      a4,
      a1,
      a2,
      a3,
    ]);
  });

  it("keeps an organization's turns distinct and its own however often its tasks are dragged", async () => {
    const { org, actor } = await createUserWithOrg(db(), "Dragger");
    await db().organization.update({ where: { id: org.id }, data: { plan: "TEAM" } });
    const scope = await createTaskScope(db(), { orgId: org.id, name: "Dragger" });
    await createTasks(db(), scope, 6, (i) => ({ rank: (i + 1) * 1024 }));
    const line = async () =>
      db().task.findMany({
        where: { orgId: org.id, status: "QUEUED" },
        orderBy: [{ rank: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        select: { id: true, queueTag: true },
      });
    const turns = (await line()).map((task) => task.queueTag!).sort((x, y) => x - y);
    for (let i = 0; i < 200; i++) {
      const order = (await line()).map((task) => task.id);
      // 100 times the last to second place (between the first two: each time a midpoint of a
      // halving gap, for ranks and, once, for tags), then 100 times to the top (once, a tag
      // below the first each time: a turn taken from the other organizations).
      const input =
        i < 100
          ? { taskId: order.at(-1)!, aboveId: order[0]!, belowId: order[1]! }
          : { taskId: order.at(-1)!, aboveId: null, belowId: order[0]! };
      await reorderTask(db(), { actor, input });
      expect({ drag: i, problems: await queueProblems(db(), [org.id]) }).toEqual({
        drag: i,
        problems: [],
      });
    }
    expect((await line()).map((task) => task.queueTag!).sort((x, y) => x - y)).toEqual(turns);
  });

  it("takes an organization at its month's run limit back in line as soon as runs are deleted", async () => {
    const scope = await createTaskScope(db(), { plan: "PRO", name: "Capped" });
    const now = new Date();
    await db().run.createMany({
      data: Array.from({ length: plans.PRO.runsPerMonth ?? 0 }, () => ({
        orgId: scope.orgId,
        specId: scope.specId,
        status: "SUCCEEDED" as const,
        createdAt: now,
      })),
    });
    const queued = await createTasks(db(), scope, 5);
    expect(await claimTasks(db(), { workerId: "w", limit: 5 })).toEqual([]);
    expect(await queueProblems(db(), [scope.orgId])).toEqual([]);

    const runs = await db().run.findMany({ where: { orgId: scope.orgId }, take: 3 });
    await db().run.deleteMany({ where: { id: { in: runs.map((run) => run.id) } } });
    expect(await queueProblems(db(), [scope.orgId])).toEqual([]);
    // Three runs left this month, though five agents are free.
    const claimed = await claimTasks(db(), { workerId: "w", limit: 5 });
    expect(claimed.map((task) => task.id)).toEqual(queued.slice(0, 3));
  });
});
