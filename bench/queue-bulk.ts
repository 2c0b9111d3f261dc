// node --conditions=react-server --import tsx bench/queue-bulk.ts [-- --tasks 3000 --rounds 3]
// The fair queue's triggers against statements that touch many tasks of one organization at once
// (a large spec queued, re-ranked, cancelled or deleted in one statement), against a throw-away
// embedded Postgres. Each statement runs in its own transaction; median of --rounds. A second
// organization with a short queue is there so the statements are not alone in the queue.
// Prints milliseconds; never asserts, always exits 0.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "3000" },
    rounds: { type: "string", default: "3" },
  },
});
const taskCount = Number(values.tasks);
const rounds = Number(values.rounds);

const { startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
const { migrate } = await import("@/lib/db/migrate");
const { createDb } = await import("@/lib/db/client");
const { createTaskScope, createTasks } = await import("@/lib/tasks/testing/task-fixtures");

const dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-bench-queue-bulk-"));
const server = await startEmbeddedPostgres({ dataDir, durable: false });
await migrate({
  url: server.url,
  migrationsDir: "prisma/migrations",
  log: { debug() {}, info() {}, warn: console.warn, error: console.error },
});
const db = createDb(server.url);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(statement: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await statement();
  return performance.now() - started;
}

try {
  const times = new Map<string, number[]>();
  const note = (label: string, ms: number) => times.set(label, [...(times.get(label) ?? []), ms]);
  for (let round = 0; round < rounds; round++) {
    const big = await createTaskScope(db, { plan: "TEAM", name: `Big${round}` });
    const other = await createTaskScope(db, { plan: "TEAM", name: `Other${round}` });
    await createTasks(db, other, 30);
    await createTasks(db, big, taskCount, (i) => ({ status: "PENDING", rank: i }));
    const org = big.orgId;
    note(
      "queue",
      await timed(
        () =>
          db.$executeRaw`UPDATE "Task" SET status = 'QUEUED' WHERE "orgId" = ${org} AND status = 'PENDING'`,
      ),
    );
    note(
      "rerank",
      await timed(
        () =>
          db.$executeRaw`UPDATE "Task" SET rank = -rank WHERE "orgId" = ${org} AND status = 'QUEUED'`,
      ),
    );
    note(
      "cancel",
      await timed(
        () =>
          db.$executeRaw`UPDATE "Task" SET status = 'CANCELLED' WHERE "orgId" = ${org} AND status = 'QUEUED'`,
      ),
    );
    await db.$executeRaw`UPDATE "Task" SET status = 'QUEUED' WHERE "orgId" = ${org}`;
    note("delete", await timed(() => db.$executeRaw`DELETE FROM "Task" WHERE "orgId" = ${org}`));
  }
  console.log(
    `bench/queue-bulk (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; embedded Postgres, fsync off; ${taskCount} tasks of one TEAM organization per statement, median of ${rounds})`,
  );
  for (const [label, ms] of times) {
    console.log(`${label}_ms ${median(ms).toFixed(0)} (${ms.map((m) => m.toFixed(0)).join(", ")})`);
  }
} finally {
  await db.$disconnect();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
