import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { type ClaimedTask, claimTasks } from "./claim-tasks";
import { createTaskScope, createTasks } from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});
// claimTasks serves every organization in the database: each test starts with an empty queue.
beforeEach(async () => {
  await db().task.deleteMany();
});

/** Claims in a loop until a claim comes back empty. */
async function drain(workerId: string, limit: number): Promise<ClaimedTask[]> {
  const claimed: ClaimedTask[] = [];
  for (;;) {
    const batch = await claimTasks(db(), { workerId, limit });
    if (batch.length === 0) return claimed;
    claimed.push(...batch);
  }
}

async function activeByOrg(): Promise<Map<string, number>> {
  const rows = await db().task.groupBy({
    by: ["orgId"],
    where: { status: { in: ["RUNNING", "VERIFYING"] } },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.orgId, row._count._all]));
}

describe("claimTasks", () => {
  it("gives each task to one claimer only when 20 claim at once", async () => {
    const scopes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => createTaskScope(db(), { name: `Org${i}` })),
    );
    for (const scope of scopes) await createTasks(db(), scope, 15);

    const perClaimer = await Promise.all(
      Array.from({ length: 20 }, (_, i) => drain(`worker-${i}`, 2)),
    );
    // A claimer stops at its first empty answer, which may come while another holds the
    // only orgs with work; whatever is left is claimed afterwards, still once each.
    const leftovers = await drain("worker-last", 5);
    const all = [...perClaimer.flat(), ...leftovers];
    const ids = all.map((task) => task.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(120);

    const rows = await db().task.findMany({
      select: { id: true, status: true, leaseOwner: true, attempts: true },
    });
    const owners = new Map(
      perClaimer.flatMap((tasks, i) => tasks.map((task) => [task.id, `worker-${i}`])),
    );
    for (const row of rows) {
      expect(row.status).toBe("RUNNING");
      expect(row.attempts).toBe(1);
      expect(row.leaseOwner).toBe(owners.get(row.id) ?? "worker-last");
    }
  });

  it("never lets an organization run more tasks than its plan allows, even under contention", async () => {
    const pro = await Promise.all([1, 2, 3].map(() => createTaskScope(db(), { plan: "PRO" })));
    const free = await createTaskScope(db(), { plan: "FREE" });
    for (const scope of [...pro, free]) await createTasks(db(), scope, 12);
    // Work already in hand counts: two running and one verifying leave PRO room for two.
    const busy = await createTaskScope(db(), { plan: "PRO" });
    await createTasks(db(), busy, 2, { status: "RUNNING" });
    await createTasks(db(), busy, 1, { status: "VERIFYING" });
    await createTasks(db(), busy, 10);

    await Promise.all(Array.from({ length: 20 }, (_, i) => drain(`w${i}`, 3)));
    await drain("w-last", 10);

    const active = await activeByOrg();
    for (const scope of pro) expect(active.get(scope.orgId)).toBe(5);
    expect(active.get(free.orgId)).toBe(1);
    expect(active.get(busy.orgId)).toBe(5);
    expect(await db().task.count({ where: { orgId: busy.orgId, status: "QUEUED" } })).toBe(8);
  });

  it("keeps one organization at its limit when 20 claimers ask for its tasks at the same moment", async () => {
    for (let round = 0; round < 5; round++) {
      await db().task.deleteMany();
      const scope = await createTaskScope(db(), { plan: "PRO" });
      await createTasks(db(), scope, 30);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => claimTasks(db(), { workerId: `w${i}`, limit: 5 })),
      );
      const ids = results.flat().map((task) => task.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeLessThanOrEqual(5);
      expect((await activeByOrg()).get(scope.orgId) ?? 0).toBeLessThanOrEqual(5);
    }
  });

  it("does not wait for a task another claimer holds: it takes the next", async () => {
    const scope = await createTaskScope(db());
    const ids = await createTasks(db(), scope, 3);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT 1 FROM "Task" WHERE id = $1 FOR UPDATE`, [ids[0]]);
      const batch = await claimTasks(db(), { workerId: "w", limit: 3 });
      expect(batch.map((task) => task.id)).toEqual([ids[1], ids[2]]);
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    expect((await claimTasks(db(), { workerId: "w" })).map((task) => task.id)).toEqual([ids[0]]);
  });

  it("gives up on an organization another transaction holds, serves the rest, and comes back to it", async () => {
    const held = await createTaskScope(db(), { name: "Held" });
    const other = await createTaskScope(db(), { name: "Other" });
    const heldIds = await createTasks(db(), held, 2);
    const otherIds = await createTasks(db(), other, 2);
    // A long transaction changing the first organization (say, queueing a large spec).
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(`UPDATE "Organization" SET name = name WHERE id = $1`, [held.orgId]);
      const claimed: ClaimedTask[] = [];
      for (let i = 0; i < 4 && claimed.length < 2; i++) {
        claimed.push(...(await claimTasks(db(), { workerId: "w", limit: 4 })));
      }
      expect(claimed.map((task) => task.id)).toEqual(otherIds);
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    const after = await claimTasks(db(), { workerId: "w", limit: 4 });
    expect(after.map((task) => task.id)).toEqual(heldIds);
  });

  it("lets an organization with two tasks in before one with fifty queued ahead of it", async () => {
    const big = await createTaskScope(db(), { name: "Big" });
    const small = await createTaskScope(db(), { name: "Small" });
    await createTasks(db(), big, 50);
    const smallIds = await createTasks(db(), small, 2);

    // One at a time, as a worker with one free slot claims.
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [task] = await claimTasks(db(), { workerId: "solo", limit: 1 });
      order.push(task!.orgId);
    }
    expect(order).toEqual([big.orgId, small.orgId, big.orgId, small.orgId]);
    const claimedSmall = await db().task.findMany({
      where: { id: { in: smallIds } },
      select: { status: true },
    });
    expect(claimedSmall.map((t) => t.status)).toEqual(["RUNNING", "RUNNING"]);
  });

  it("takes the lowest turns across organizations in one batch", async () => {
    const big = await createTaskScope(db(), { name: "Big" });
    const small = await createTaskScope(db(), { name: "Small" });
    await createTasks(db(), big, 50);
    await createTasks(db(), small, 2);
    const batch = await claimTasks(db(), { workerId: "batch", limit: 6 });
    expect(batch.map((task) => task.orgId)).toEqual([
      big.orgId,
      small.orgId,
      big.orgId,
      small.orgId,
      big.orgId,
      big.orgId,
    ]);
  });

  it("serves another organization while the first in line has only tasks backing off", async () => {
    const waiting = await createTaskScope(db(), { name: "Waiting" });
    const ready = await createTaskScope(db(), { name: "Ready" });
    const later = new Date(Date.now() + 60_000);
    const [backingOff] = await createTasks(db(), waiting, 1, { notBefore: later });
    const [now] = await createTasks(db(), ready, 1);
    expect((await claimTasks(db(), { workerId: "w" })).map((t) => t.id)).toEqual([now]);
    const after = await claimTasks(db(), { workerId: "w", now: new Date(later.getTime() + 1) });
    expect(after.map((t) => t.id)).toEqual([backingOff]);
  });

  it("takes an organization at its limit back as soon as one of its tasks stops running", async () => {
    const scope = await createTaskScope(db(), { plan: "FREE" });
    const other = await createTaskScope(db(), { plan: "FREE" });
    const [first, second] = await createTasks(db(), scope, 2);
    const [first1] = await claimTasks(db(), { workerId: "w" });
    expect(first1!.id).toBe(first);
    await createTasks(db(), other, 1);
    // At its limit: the next claim goes elsewhere, then finds nothing.
    expect((await claimTasks(db(), { workerId: "w" }))[0]!.orgId).toBe(other.orgId);
    expect(await claimTasks(db(), { workerId: "w" })).toEqual([]);
    await db().task.update({ where: { id: first! }, data: { status: "DONE" } });
    expect((await claimTasks(db(), { workerId: "w" })).map((t) => t.id)).toEqual([second]);
  });

  it("runs an organization's tasks by rank, then by age", async () => {
    const scope = await createTaskScope(db());
    const ids = await createTasks(db(), scope, 4, (i) => ({ rank: [3, 1, 2, 1][i]! }));
    const batch = await claimTasks(db(), { workerId: "w", limit: 4 });
    expect(batch.map((task) => task.id)).toEqual([ids[1], ids[3], ids[2], ids[0]]);
  });

  it("leaves a task alone until its notBefore has passed", async () => {
    const scope = await createTaskScope(db());
    const later = new Date(Date.now() + 60_000);
    const [id] = await createTasks(db(), scope, 1, { notBefore: later });
    expect(await claimTasks(db(), { workerId: "w" })).toEqual([]);
    const claimed = await claimTasks(db(), { workerId: "w", now: new Date(later.getTime() + 1) });
    expect(claimed.map((task) => task.id)).toEqual([id]);
  });

  it("leases the task to the worker and records the attempt", async () => {
    const scope = await createTaskScope(db());
    await createTasks(db(), scope, 1, { status: "PENDING" });
    const [id] = await createTasks(db(), scope, 1);
    const now = new Date("2030-01-01T00:00:00.000Z");
    const [task] = await claimTasks(db(), { workerId: "w1", leaseMs: 90_000, now });
    expect(task).toMatchObject({
      id,
      orgId: scope.orgId,
      specId: scope.specId,
      projectId: scope.projectId,
      attempts: 1,
      maxAttempts: 3,
      startedAt: now,
      leaseExpiresAt: new Date("2030-01-01T00:01:30.000Z"),
    });
    const row = await db().task.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "RUNNING", leaseOwner: "w1", lastHeartbeatAt: now });
    // The start goes on the timeline with the run the worker writes next (runTask).
    expect(await db().activityEvent.count({ where: { taskId: id } })).toBe(0);
    // The PENDING task is not claimable.
    expect(await claimTasks(db(), { workerId: "w2", now })).toEqual([]);
  });
});
