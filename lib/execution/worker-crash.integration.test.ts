// Must-show: kill -9 the worker in the middle of a task. The runner runs in its own process (as
// in production); it is killed with SIGKILL while the task's verification command runs, after
// the agent's work was committed on the task branch. Once the lease lapses, a second worker
// takes the task, runs it again and completes it; the integration branch gets the task's commit
// once.

import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { type FixtureWorker, startFixtureWorker } from "@/lib/jobs/testing/fixture-process";
import type { Actor } from "@/lib/orgs/roles";
import { createUserWithOrg } from "@/prisma/factories";
import { approvedGraph, git, plannedTask, waitFor } from "./testing/execution-fixtures";

const EXECUTOR_WORKER = fileURLToPath(new URL("./testing/executor-worker.ts", import.meta.url));
const LEASE_MS = 3_000;

let database: TestDatabase;
let actor: Actor;
const worktreesRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-worktrees-"));
const workers: FixtureWorker[] = [];

const startWorker = async (workerId: string) => {
  const worker = await startFixtureWorker(database.url, {
    script: EXECUTOR_WORKER,
    env: {
      WORKER_ID: workerId,
      WORKTREES_ROOT: worktreesRoot,
      LEASE_MS: String(LEASE_MS),
      HEARTBEAT_MS: "500",
      LOG_LEVEL: "warn",
    },
  });
  workers.push(worker);
  return worker;
};

beforeAll(async () => {
  database = await createTestDatabase();
  actor = (await createUserWithOrg(database.db, "Ada")).actor;
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await database?.drop();
});

it("reruns and completes a task after its worker is killed with SIGKILL mid-task, with no duplicate commit", async () => {
  const db = database.db;
  // The verification command outlives the first worker; a person then fixes it for the rerun.
  const { repo, specId, projectId } = await approvedGraph(db, actor, [plannedTask("1", [])], {
    testCommand: "sleep 60",
  });
  const first = await startWorker("w-first");
  const running = await waitFor(
    db,
    () => db.task.findFirstOrThrow({ where: { specId } }),
    (t) => t.status === "VERIFYING",
    30_000,
  );
  expect(running.leaseOwner).toBe("w-first");
  const spec = await db.spec.findUniqueOrThrow({ where: { id: specId } });
  const taskBranch = `trellis/${spec.slug}--task-1`;
  expect(git(repo, "log", "--format=%s", taskBranch).split("\n")[0]).toBe("1 Task 1");

  await first.crash();
  await db.project.update({ where: { id: projectId }, data: { testCommand: "true" } });
  await startWorker("w-second");

  const done = await waitFor(
    db,
    () => db.task.findFirstOrThrow({ where: { specId }, include: { runs: true } }),
    (t) => t.status === "DONE",
    60_000,
  );
  // The first run never reported back (the sweep closed it); the second one did the work.
  expect(done.runs.map((r) => [r.workerId, r.status]).sort()).toEqual([
    ["w-first", "FAILED"],
    ["w-second", "SUCCEEDED"],
  ]);
  const requeued = await db.activityEvent.findFirstOrThrow({
    where: { taskId: done.id, type: "task.requeued" },
  });
  expect(requeued.data).toMatchObject({ cause: "lost_worker", workerId: "w-first" });

  const final = await waitFor(
    db,
    () => db.spec.findUniqueOrThrow({ where: { id: specId } }),
    (s) => s.state === "DONE",
    10_000,
  );
  const subjects = git(repo, "log", "--format=%s", final.integrationBranch!).split("\n");
  expect(subjects.filter((s) => s === "1 Task 1")).toHaveLength(1);
}, 120_000);
