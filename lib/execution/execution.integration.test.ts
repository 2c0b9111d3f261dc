// Execution end to end in one process: approved task graphs run by the built-in
// runner (offline and command-line agents) on a real temporary git repository.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { cancelTask } from "@/lib/tasks/cancel-task";
import { claimTasks } from "@/lib/tasks/claim-tasks";
import { commitAll, createTaskWorktree } from "@/lib/workspaces/git-workspace";
import { createUserWithOrg } from "@/prisma/factories";
import { startExecutor } from "./start-executor";
import * as fixtures from "./testing/execution-fixtures";
import { git, type PlannedTask, plannedTask } from "./testing/execution-fixtures";

let database: TestDatabase;
let db: TestDatabase["db"];
let actor: Actor;
const worktreesRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-worktrees-"));

const task = plannedTask;
const approvedGraph = (
  tasks: PlannedTask[],
  project?: { agentCommand?: string; testCommand?: string },
) => fixtures.approvedGraph(db, actor, tasks, project);
const waitFor = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs?: number) =>
  fixtures.waitFor(db, read, done, timeoutMs);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const owner = await createUserWithOrg(db, "Ada");
  actor = owner.actor;
  // PRO allows 5 agents at once; the runner's own concurrency (2) is what limits these tests.
  await db.organization.update({ where: { id: actor.orgId }, data: { plan: "PRO" } });
});

afterAll(async () => {
  await database?.drop();
});

describe("execution", () => {
  it("runs a six-task diamond at concurrency 2: dependencies first, every branch merged", async () => {
    const sleep = "[offline:sleep 400]";
    const { repo, specId } = await approvedGraph(
      [
        task("1", [], sleep),
        task("2", ["1"], sleep),
        task("3", ["1"], sleep),
        task("4", ["1"], sleep),
        task("5", ["2", "3"], sleep),
        task("6", ["4", "5"], sleep),
      ],
      { testCommand: "test -f README.md" },
    );
    const executor = startExecutor(db, {
      workerId: "w-diamond",
      worktreesRoot,
      concurrency: 2,
      pollMs: 100,
    });
    try {
      await waitFor(
        () => db.spec.findUniqueOrThrow({ where: { id: specId }, select: { state: true } }),
        (s) => s.state === "DONE",
      );
    } finally {
      await executor.stop();
    }

    const tasks = await db.task.findMany({
      where: { specId },
      include: { dependsOn: { select: { dependsOn: { select: { finishedAt: true } } } } },
    });
    expect(tasks.map((t) => t.status)).toEqual(Array(6).fill("DONE"));
    for (const t of tasks) {
      for (const dep of t.dependsOn)
        expect(t.startedAt!.getTime()).toBeGreaterThanOrEqual(dep.dependsOn.finishedAt!.getTime());
    }
    const edges = tasks.flatMap((t) => [
      { at: t.startedAt!.getTime(), delta: 1 },
      { at: t.finishedAt!.getTime(), delta: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let peak = 0;
    for (const e of edges) {
      running += e.delta;
      peak = Math.max(peak, running);
    }
    expect(peak).toBe(2);

    const spec = await db.spec.findUniqueOrThrow({ where: { id: specId } });
    const branch = spec.integrationBranch!;
    const files = git(repo, "ls-tree", "-r", "--name-only", branch).split("\n");
    for (const key of ["1", "2", "3", "4", "5", "6"]) {
      expect(files.some((f) => f.startsWith(`.trellis/tasks/${key}-`))).toBe(true);
    }
    const subjects = git(repo, "log", "--format=%s", branch).split("\n");
    for (const key of ["1", "2", "3", "4", "5", "6"]) {
      expect(subjects.filter((s) => s === `${key} Task ${key}`)).toHaveLength(1);
    }
    // The user's checkout is untouched: still on main, with no task files.
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(existsSync(path.join(repo, ".trellis"))).toBe(false);
    const verifications = await db.verification.count({ where: { run: { specId } } });
    expect(verifications).toBe(6);
    // Each start is on the timeline once, naming its run.
    const runs = await db.run.findMany({ where: { specId }, select: { id: true, taskId: true } });
    const starts = await db.activityEvent.findMany({
      where: { specId, type: "task.started" },
      select: { taskId: true, data: true },
    });
    expect(starts.map((e) => `${e.taskId}:${(e.data as { runId?: string }).runId}`).sort()).toEqual(
      runs.map((r) => `${r.taskId}:${r.id}`).sort(),
    );
  });

  it("runs a command-line agent: its change lands; a failing script fails the task with its output", async () => {
    const good = await approvedGraph([task("1", [])], {
      agentCommand: 'echo "from the cli agent: $TRELLIS_TASK_TITLE" > cli.txt',
    });
    const bad = await approvedGraph([task("1", [])], {
      agentCommand: "echo boom on stderr >&2; exit 3",
    });
    const executor = startExecutor(db, {
      workerId: "w-cli",
      worktreesRoot,
      concurrency: 2,
      pollMs: 100,
    });
    try {
      await waitFor(
        () =>
          db.task.findMany({
            where: { specId: { in: [good.specId, bad.specId] } },
            select: { status: true },
          }),
        (ts) => ts.every((t) => t.status === "DONE" || t.status === "FAILED"),
      );
    } finally {
      await executor.stop();
    }
    const goodSpec = await db.spec.findUniqueOrThrow({ where: { id: good.specId } });
    expect(goodSpec.state).toBe("DONE");
    expect(git(good.repo, "show", `${goodSpec.integrationBranch}:cli.txt`)).toBe(
      "from the cli agent: Task 1",
    );

    const failed = await db.task.findFirstOrThrow({
      where: { specId: bad.specId },
      include: { runs: true },
    });
    expect(failed.status).toBe("FAILED");
    expect(failed.runs[0]?.errorMessage).toMatch(/boom on stderr/);
    expect(failed.runs[0]?.errorMessage).toMatch(/3/);
  });

  it("fails a task over its time limit with the reason, and cancel stops the agent and removes the worktree", async () => {
    const slow = await approvedGraph([task("1", [], "[offline:sleep 20000]")]);
    await db.task.updateMany({ where: { specId: slow.specId }, data: { timeoutSeconds: 1 } });
    const cancelled = await approvedGraph([task("1", [], "[offline:sleep 20000]")]);
    const executor = startExecutor(db, {
      workerId: "w-limits",
      worktreesRoot,
      concurrency: 2,
      pollMs: 100,
      heartbeatMs: 200,
    });
    try {
      const victim = await waitFor(
        () => db.task.findFirstOrThrow({ where: { specId: cancelled.specId } }),
        (t) => t.status === "RUNNING",
      );
      await waitFor(
        () => db.runLog.count({ where: { run: { taskId: victim.id } } }),
        (n) => n > 0,
        10_000,
      ).catch(() => 0);
      await cancelTask(db, { actor, taskId: victim.id });
      const cancelledRun = await waitFor(
        () =>
          db.run.findFirstOrThrow({ where: { taskId: victim.id }, orderBy: { attempt: "desc" } }),
        (r) => r.status !== "RUNNING",
        15_000,
      );
      expect(cancelledRun.status).toBe("CANCELLED");
      await waitFor(
        async () => existsSync(path.join(worktreesRoot, victim.id)),
        (exists) => !exists,
        10_000,
      );

      const timedOut = await waitFor(
        () => db.task.findFirstOrThrow({ where: { specId: slow.specId }, include: { runs: true } }),
        (t) => t.status === "FAILED",
        20_000,
      );
      expect(timedOut.runs[0]?.status).toBe("TIMED_OUT");
      expect(timedOut.runs[0]?.errorMessage).toMatch(/time limit/);
    } finally {
      await executor.stop();
    }
  });

  it("reruns a task whose worker died after claiming it, once its lease lapses, with no duplicate commit", async () => {
    const { repo, specId } = await approvedGraph([task("1", [])]);
    const [claimed] = await claimTasks(db, { workerId: "w-dead", limit: 1, leaseMs: 1_000 });
    expect(claimed?.specId).toBe(specId);
    // The dead worker had started: a worktree on the task branch with a half-done commit.
    const { slug } = await db.spec.findUniqueOrThrow({ where: { id: specId } });
    const spec = await db.spec.update({
      where: { id: specId },
      data: { integrationBranch: `trellis/${slug}` },
    });
    git(repo, "branch", spec.integrationBranch!, "main");
    const half = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: `trellis/${spec.slug}--task-1`,
      from: spec.integrationBranch!,
      dirName: claimed!.id,
    });
    writeFileSync(path.join(half.path, "half-done.txt"), "from the worker that died\n");
    await commitAll({ path: half.path, message: "1 Task 1 (half done)" });

    const executor = startExecutor(db, {
      workerId: "w-alive",
      worktreesRoot,
      concurrency: 1,
      pollMs: 100,
      staleCheckMs: 200,
    });
    try {
      await waitFor(
        () => db.spec.findUniqueOrThrow({ where: { id: specId }, select: { state: true } }),
        (s) => s.state === "DONE",
        60_000,
      );
    } finally {
      await executor.stop();
    }
    const done = await db.task.findFirstOrThrow({ where: { specId }, include: { runs: true } });
    expect(done.status).toBe("DONE");
    expect(done.runs.map((r) => r.workerId)).toEqual(["w-alive"]);
    const requeued = await db.activityEvent.count({
      where: { taskId: done.id, type: "task.requeued" },
    });
    expect(requeued).toBe(1);
    const subjects = git(repo, "log", "--format=%s", spec.integrationBranch!).split("\n");
    expect(subjects.filter((s) => s === "1 Task 1")).toHaveLength(1);
    expect(subjects.some((s) => s.includes("half done"))).toBe(false);
  }, 90_000);
});
