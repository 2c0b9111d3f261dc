// The fair queue's triggers (migration fair_queue) against what people do to queued work:
// reorder it, pin a project to runners, upgrade, and arrive while others have long queues.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { billingPeriod, blockingStatuses, plans } from "@/lib/billing/plans";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { Plan, SubscriptionStatus } from "@/lib/generated/prisma/enums";
import { claimTasks } from "./claim-tasks";
import { completeTask, failTask } from "./finish-task";
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
});
