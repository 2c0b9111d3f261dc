// npm run bench:scheduler [-- --tasks 10000 --claimers 20 --orgs 500 --nodes 10000 --edges 50000 --batch 5]
// The task queue and the dependency graph, against a throw-away embedded Postgres:
//  a. claims per second: N queued tasks (spread over TEAM organizations so that the per-org
//     limit of 20 is reached exactly when each is drained) taken by C concurrent claimers,
//     each looping until a claim comes back empty; beside single-row UPDATE
//     commits per second on the same database in the same run (C concurrent writers, each an
//     autocommit `UPDATE "Task" ... WHERE id = $1`, through the same Prisma client and pool),
//     measured before and after the claims; ratio = claims/s over the mean of the two. The
//     client is the app's (lib/db/client.ts: the claim statement prepared per connection).
//     Run twice: batch size 1, then each claimer taking up to --batch tasks per statement, as
//     a worker with that many free agent slots does (lib/execution/start-executor.ts).
//  b. graph analysis of a random DAG (topologicalOrder + criticalPath + readySet from
//     lib/tasks/graph.ts), median of 5 runs.
// Prints figures and ratios to targets; never asserts, always exits 0.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "10000" },
    claimers: { type: "string", default: "20" },
    orgs: { type: "string", default: "500" },
    nodes: { type: "string", default: "10000" },
    edges: { type: "string", default: "50000" },
    batch: { type: "string", default: "5" },
  },
});
const taskCount = Number(values.tasks);
const claimers = Number(values.claimers);
const orgCount = Number(values.orgs);
const nodeCount = Number(values.nodes);
const edgeCount = Number(values.edges);
const batchSize = Number(values.batch);
const CLAIM_RATIO_TARGET = 0.3;
const GRAPH_TARGET_MS = 100;

const { startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
const { migrate } = await import("@/lib/db/migrate");
const { createDb } = await import("@/lib/db/client");
const { claimTasks } = await import("@/lib/tasks/claim-tasks");
const { createTaskScope, createTasks } = await import("@/lib/tasks/testing/task-fixtures");
const { topologicalOrder, criticalPath, readySet } = await import("@/lib/tasks/graph");
const { seededRandom } = await import("@/lib/utils/prng");

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ─── b. Graph analysis (no database) ─────────────────────────────────────────

function randomDag(n: number, m: number, seed: number) {
  // Seeded, so every run analyses the same graph.
  const random = seededRandom(seed);
  // A hidden order makes it acyclic; keys are shuffled against it so no shortcut applies.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const deps = Array.from({ length: n }, () => new Set<number>());
  let edges = 0;
  while (edges < m) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    if (a === b) continue;
    const [from, to] = a < b ? [a, b] : [b, a];
    const set = deps[to]!;
    if (set.has(from)) continue;
    set.add(from);
    edges++;
  }
  const key = (position: number) => String(order[position]! + 1);
  return Array.from({ length: n }, (_, position) => ({
    key: key(position),
    dependsOn: [...deps[position]!].map(key),
    estimateMinutes: 5 + Math.floor(random() * 60),
  }));
}

const graph = randomDag(nodeCount, edgeCount, 42);
const graphRuns: number[] = [];
let pathLength = 0;
let readyCount = 0;
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const order = topologicalOrder(graph);
  const path = criticalPath(graph, (node) => node.estimateMinutes, order);
  const done = order.slice(0, Math.floor(order.length / 2)).map((node) => node.key);
  const ready = readySet(graph, done);
  graphRuns.push(performance.now() - started);
  pathLength = path.path.length;
  readyCount = ready.length;
}

// ─── a. Claims per second against single-row UPDATE commits ─────────────────

const dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-bench-scheduler-"));
const server = await startEmbeddedPostgres({ dataDir, durable: false });
await migrate({
  url: server.url,
  migrationsDir: "prisma/migrations",
  log: { debug() {}, info() {}, warn: console.warn, error: console.error },
});
// One connection per claimer (and a few spare), shared by both measurements; the same
// client options as lib/db/client.ts, which sends every statement unnamed (planned each time).
// The client as the app makes it (lib/db/client.ts: the claim statement prepared per connection).
const db = createDb(server.url);
type Client = typeof db;

interface ClaimRun {
  batch: number;
  claimed: number;
  seconds: number;
  perClaimer: number[];
  updatesBefore: number;
  updatesAfter: number;
}

try {
  const perOrg = Math.ceil(taskCount / orgCount);
  const taskIds: string[] = [];
  for (let o = 0; o < orgCount && taskIds.length < taskCount; o++) {
    const scope = await createTaskScope(db, { plan: "TEAM", name: `Bench${o}` });
    taskIds.push(...(await createTasks(db, scope, Math.min(perOrg, taskCount - taskIds.length))));
  }

  async function updateRate(client: Client): Promise<number> {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: claimers }, async (_, w) => {
        for (let i = w; i < taskIds.length; i += claimers) {
          await client.$executeRaw`UPDATE "Task" SET "lastHeartbeatAt" = ${new Date()} WHERE id = ${taskIds[i]!}`;
        }
      }),
    );
    return taskIds.length / ((performance.now() - started) / 1000);
  }

  async function claimRun(client: Client, batch = 1): Promise<ClaimRun> {
    await db.$executeRawUnsafe('VACUUM ANALYZE "Task"');
    await db.$executeRawUnsafe('VACUUM ANALYZE "Organization"');
    const updatesBefore = await updateRate(client);
    const started = performance.now();
    const perClaimer = await Promise.all(
      Array.from({ length: claimers }, async (_, c) => {
        let claimed = 0;
        for (;;) {
          const got = await claimTasks(client, { workerId: `bench-${c}`, limit: batch });
          if (got.length === 0) return claimed;
          claimed += got.length;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const updatesAfter = await updateRate(client);
    return {
      batch,
      claimed: perClaimer.reduce((a, b) => a + b, 0),
      seconds,
      perClaimer,
      updatesBefore,
      updatesAfter,
    };
  }

  async function check() {
    const [row] = await db.$queryRaw<{ running: number; queued: number; over: number }[]>`
      SELECT
        (SELECT count(*)::int FROM "Task" WHERE status = 'RUNNING') AS running,
        (SELECT count(*)::int FROM "Task" WHERE status = 'QUEUED') AS queued,
        (SELECT count(*)::int FROM (
          SELECT "orgId" FROM "Task" WHERE status IN ('RUNNING', 'VERIFYING')
          GROUP BY "orgId" HAVING count(*) > 20) x) AS over`;
    return row!;
  }

  const single = await claimRun(db);
  const singleCheck = await check();
  // The same tasks queued again (the triggers put them back in line).
  await db.$executeRaw`UPDATE "Task" SET status = 'QUEUED', "leaseOwner" = NULL, "leaseExpiresAt" = NULL, attempts = 0`;
  // A worker with several free agent slots claims them in one statement (lib/execution/start-executor.ts).
  const batched = await claimRun(db, batchSize);
  const batchedCheck = await check();

  console.log(
    `bench/scheduler (${os.cpus().length} cores; embedded Postgres, fsync off; ${claimers} concurrent clients, Prisma with @prisma/adapter-pg as in lib/db/client.ts)`,
  );
  const report = (label: string, run: ClaimRun, checked: Awaited<ReturnType<typeof check>>) => {
    const claimRate = run.claimed / run.seconds;
    const updates = (run.updatesBefore + run.updatesAfter) / 2;
    const ratio = claimRate / updates;
    console.log(
      `${label}claims_per_s ${fmt(claimRate)} (${fmt(run.claimed)} of ${fmt(taskIds.length)} tasks over ${orgCount} TEAM orgs, batch ${run.batch}, ${fmt(run.seconds, 2)} s; per claimer ${Math.min(...run.perClaimer)}-${Math.max(...run.perClaimer)})`,
    );
    console.log(
      `${label}single_row_update_commits_per_s ${fmt(updates)} (before ${fmt(run.updatesBefore)}, after ${fmt(run.updatesAfter)})`,
    );
    console.log(
      `${label}claim_to_update_ratio ${ratio.toFixed(2)} (target >= ${CLAIM_RATIO_TARGET}, ${ratio >= CLAIM_RATIO_TARGET ? "met" : "not met"}); check: ${fmt(checked.running)} running, ${fmt(checked.queued)} still queued, ${checked.over} orgs over their limit`,
    );
  };
  report("", single, singleCheck);
  report(`batch${batchSize}_`, batched, batchedCheck);
  const graphMedian = median(graphRuns);
  console.log(
    `graph_analysis_ms median ${graphMedian.toFixed(1)} (min ${Math.min(...graphRuns).toFixed(1)}, max ${Math.max(...graphRuns).toFixed(1)}; ${fmt(nodeCount)} tasks, ${fmt(edgeCount)} dependencies; topologicalOrder + criticalPath + readySet; critical path ${pathLength} tasks, ${fmt(readyCount)} ready at half done)`,
  );
  console.log(
    `graph_ratio_to_target ${(graphMedian / GRAPH_TARGET_MS).toFixed(2)} (target < ${GRAPH_TARGET_MS} ms, ${graphMedian < GRAPH_TARGET_MS ? "met" : "not met"})`,
  );
} finally {
  await db.$disconnect();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
