// npm run bench:runners [-- --runners 20 --tasks 200 --gap-ms 25]
// Claim latency seen by self-hosted runners: R runners long-poll POST /api/runner/v1/claim (the
// real route handlers, served over HTTP by this process, on a throw-away embedded Postgres)
// while T tasks of a project pinned to them are queued one by one, GAP ms apart. Latency = from
// the queuing transaction's commit to the runner holding the assignment. Each runner reports
// its task finished at once, as a quick task would, and polls again.
// Prints figures and the ratio to the target; never asserts, always exits 0.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runners: { type: "string", default: "20" },
    tasks: { type: "string", default: "200" },
    "gap-ms": { type: "string", default: "25" },
  },
});
const runnerCount = Number(values.runners);
const taskCount = Number(values.tasks);
const gapMs = Number(values["gap-ms"]);
const P95_TARGET_MS = 200;

const { startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
const { migrate } = await import("@/lib/db/migrate");
const { createDb } = await import("@/lib/db/client");
const { resetEnvForTests } = await import("@/lib/env");
const { createRunner } = await import("@/lib/runners/create-runner");
const { createTaskScope } = await import("@/lib/tasks/testing/task-fixtures");
const { startRouteServer } = await import("@/lib/testing/route-server");
const { createUserWithOrg } = await import("@/prisma/factories");
const claimRoute = await import("@/app/api/runner/v1/claim/route");
const taskRoute = await import("@/app/api/runner/v1/tasks/[taskId]/[event]/route");

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-bench-runners-"));
const server = await startEmbeddedPostgres({ dataDir, durable: false });
await migrate({
  url: server.url,
  migrationsDir: "prisma/migrations",
  log: { debug() {}, info() {}, warn: console.warn, error: console.error },
});
process.env.DATABASE_URL = server.url;
process.env.LOG_LEVEL = "warn";
resetEnvForTests();
const db = createDb(server.url);
const http = await startRouteServer([
  { path: "/api/runner/v1/claim", handlers: claimRoute },
  { path: "/api/runner/v1/tasks/:taskId/:event", handlers: taskRoute },
]);

try {
  const { actor } = await createUserWithOrg(db, "Bench");
  await db.organization.update({ where: { id: actor.orgId }, data: { plan: "TEAM" } });
  const scope = await createTaskScope(db, { orgId: actor.orgId, name: "Runners" });
  await db.project.update({ where: { id: scope.projectId }, data: { runnerLabels: ["bench"] } });
  const tokens: string[] = [];
  for (let r = 0; r < runnerCount; r++) {
    const { token } = await createRunner(db, {
      actor,
      input: { name: `bench-${r}`, labels: ["bench"] },
    });
    tokens.push(token);
  }

  const queuedAt = new Map<string, number>();
  const latencies: number[] = [];
  const stop = new AbortController();
  const post = (pathname: string, token: string, body: unknown) =>
    fetch(`${http.url}${pathname}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: stop.signal,
    });

  let claimed = 0;
  let allClaimed: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allClaimed = resolve;
  });
  const runners = tokens.map(async (token) => {
    while (!stop.signal.aborted) {
      const response = await post("/api/runner/v1/claim", token, {
        waitMs: 25_000,
        leaseMs: 60_000,
      }).catch(() => null);
      if (!response || response.status === 204) continue;
      const received = performance.now();
      const assignment = (await response.json()) as {
        task: { id: string; attempt: number };
        runId: string;
      };
      latencies.push(received - queuedAt.get(assignment.task.id)!);
      await post(`/api/runner/v1/tasks/${assignment.task.id}/finish`, token, {
        attempt: assignment.task.attempt,
        runId: assignment.runId,
        outcome: "done",
        summary: "bench",
        commitSha: null,
        diffStat: "",
      }).catch(() => null);
      if (++claimed === taskCount) allClaimed();
    }
  });

  // Let every runner's first claim reach its wait.
  await new Promise((r) => setTimeout(r, 1_000));
  for (let i = 0; i < taskCount; i++) {
    const task = await db.task.create({
      data: {
        orgId: scope.orgId,
        projectId: scope.projectId,
        specId: scope.specId,
        key: String(i + 1),
        title: `Bench task ${i + 1}`,
        status: "QUEUED",
        rank: i,
      },
      select: { id: true },
    });
    queuedAt.set(task.id, performance.now());
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
  stop.abort();
  await Promise.allSettled(runners);

  const sorted = [...latencies].sort((a, b) => a - b);
  const p95 = quantile(sorted, 0.95);
  console.log(
    `bench/runners (${os.cpus().length} cores; embedded Postgres, fsync off; ${runnerCount} runners long-polling the real route handlers over HTTP; ${taskCount} tasks queued ${gapMs} ms apart)`,
  );
  console.log(
    `runner_claim_latency_ms p50 ${quantile(sorted, 0.5).toFixed(1)} p95 ${p95.toFixed(1)} max ${sorted.at(-1)?.toFixed(1)} (${sorted.length} of ${taskCount} claimed)`,
  );
  console.log(
    `runner_claim_p95_ratio_to_target ${(p95 / P95_TARGET_MS).toFixed(2)} (target p95 < ${P95_TARGET_MS} ms, ${p95 < P95_TARGET_MS ? "met" : "not met"})`,
  );
} finally {
  await http.close();
  await db.$disconnect();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
