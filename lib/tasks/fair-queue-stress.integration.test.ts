// The fair queue under everything at once: workers claiming, finishing, failing and handing
// tasks back while people reorder (one task, or all at once), cancel, queue more, pin projects
// to runners and upgrade. Limits must hold at every moment, nothing may error (no deadlock, no
// lost update), and when it all stops every organization's counters and line must be exactly
// what its tasks say.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plans } from "@/lib/billing/plans";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Plan } from "@/lib/generated/prisma/enums";
import { seededRandom } from "@/lib/utils/prng";
import { claimTasks } from "./claim-tasks";
import { completeTask, failTask } from "./finish-task";
import { queueProblems } from "./testing/queue-lines";
import { createTaskScope, createTasks, type TaskScope } from "./testing/task-fixtures";

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the fair queue under load", () => {
  it("keeps every limit, never errors, and ends with exact counters and lines", async () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const orgPlans: Plan[] = ["FREE", "PRO", "PRO", "TEAM", "TEAM", "FREE"];
    const scopes: TaskScope[] = [];
    for (const [i, plan] of orgPlans.entries()) {
      const scope = await createTaskScope(db(), { plan, name: `Stress${i}` });
      // A second project of the same organization, pinned to runners now and then.
      const other = await createTaskScope(db(), { orgId: scope.orgId, name: `Pinned${i}` });
      scopes.push(scope, other);
      await createTasks(db(), scope, 25, () => ({ rank: Math.floor(random() * 100) }));
      await createTasks(db(), other, 10, () => ({ rank: Math.floor(random() * 100) }));
    }
    // The most each organization may ever run at once (FREE ones are upgraded midway).
    const highestCap = new Map(
      orgPlans.map((plan, i) => [
        scopes[i * 2]!.orgId,
        plan === "FREE" ? plans.PRO.concurrentAgents : plans[plan].concurrentAgents,
      ]),
    );

    const errors: unknown[] = [];
    const overLimit: string[] = [];
    let stop = false;
    let claimed = 0;
    const guard = (work: () => Promise<void>) => async () => {
      while (!stop) {
        try {
          await work();
        } catch (error) {
          errors.push(error);
          return;
        }
      }
    };

    const worker = (w: number) =>
      guard(async () => {
        const tasks = await claimTasks(db(), { workerId: `w${w}`, limit: 1 + (w % 3) });
        claimed += tasks.length;
        const active = await db().$queryRaw<{ orgId: string; n: number }[]>`
          SELECT "orgId", count(*)::int AS n FROM "Task"
          WHERE status IN ('RUNNING', 'VERIFYING') GROUP BY "orgId"`;
        for (const row of active) {
          if (row.n > highestCap.get(row.orgId)!) overLimit.push(`${row.orgId}: ${row.n}`);
        }
        if (tasks.length === 0) await sleep(5);
        for (const task of tasks) {
          const lease = { taskId: task.id, workerId: `w${w}` };
          const roll = random();
          if (roll < 0.6) await completeTask(db(), lease);
          else if (roll < 0.8)
            await failTask(db(), { ...lease, error: "flaky", retryable: true, now: new Date(0) });
          else {
            // The worker dies: the lease lapses and the sweep would requeue it.
            await db().task.update({
              where: { id: task.id },
              data: { status: "QUEUED", leaseOwner: null, leaseExpiresAt: null },
            });
          }
        }
      });

    const person = guard(async () => {
      const scope = pick(scopes);
      const roll = random();
      if (roll < 0.05) {
        // Every rank of the organization rewritten in one statement, as renumbering does
        // (reorder-task.ts), here turning its order upside down.
        await db().$executeRaw`UPDATE "Task" SET rank = 99 - rank WHERE "orgId" = ${scope.orgId}`;
      } else if (roll < 0.35) {
        const queued = await db().task.findMany({
          where: { orgId: scope.orgId, status: "QUEUED" },
          select: { id: true },
          take: 20,
        });
        if (queued.length > 0) {
          await db().task.update({
            where: { id: pick(queued).id },
            data: { rank: Math.floor(random() * 100) },
          });
        }
      } else if (roll < 0.5) {
        await db().task.updateMany({
          where: { orgId: scope.orgId, status: "QUEUED", rank: { gt: 95 } },
          data: { status: "CANCELLED" },
        });
      } else if (roll < 0.8) {
        await createTasks(db(), scope, 1 + Math.floor(random() * 3), () => ({
          rank: Math.floor(random() * 100),
        }));
      } else if (roll < 0.95) {
        const pinned = random() < 0.5 ? ["gpu"] : [];
        await db().project.update({
          where: { id: scope.projectId },
          data: { runnerLabels: pinned },
        });
      } else {
        await db().organization.updateMany({
          where: { id: scope.orgId, plan: "FREE" },
          data: { plan: "PRO" },
        });
      }
      await sleep(2);
    });

    const loops = [...Array.from({ length: 6 }, (_, w) => worker(w)()), person(), person()];
    await sleep(6_000);
    stop = true;
    await Promise.all(loops);

    expect(errors).toEqual([]);
    expect(overLimit).toEqual([]);
    expect(claimed).toBeGreaterThan(100);

    expect(await queueProblems(db(), [...highestCap.keys()])).toEqual([]);
  }, 60_000);
});
