// The repository after a spec: its result branch is the user's to check out, Trellis' worktrees
// and merged task branches are gone, and a release cut short by a crash is finished later.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { cancelSpec } from "@/lib/specs/cancel-spec";
import { createUserWithOrg } from "@/prisma/factories";
import { releaseEndedSpecWorkspaces } from "./release-spec-workspace";
import { startExecutor } from "./start-executor";
import * as fixtures from "./testing/execution-fixtures";
import { git, plannedTask as task } from "./testing/execution-fixtures";

let database: TestDatabase;
let db: TestDatabase["db"];
let actor: Actor;
const worktreesRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-worktrees-"));

const waitFor = <T>(read: () => Promise<T>, done: (value: T) => boolean) =>
  fixtures.waitFor(db, read, done, 90_000);

/** The repository's worktrees, as `git worktree list` shows them to the user. */
const worktrees = (repo: string) =>
  git(repo, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length));
const trellisBranches = (repo: string) =>
  git(repo, "branch", "--list", "trellis/*", "--format=%(refname:short)")
    .split("\n")
    .filter(Boolean);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  actor = (await createUserWithOrg(db, "Ada")).actor;
  await db.organization.update({ where: { id: actor.orgId }, data: { plan: "PRO" } });
});

afterAll(async () => {
  await database?.drop();
  rmSync(worktreesRoot, { recursive: true, force: true });
});

describe("the repository after a spec", () => {
  it("is handed back when the spec is done: the result branch checks out, only the user's worktree is left", async () => {
    // Eleven tasks through one worker, which used to leave a listener per task on its shutdown
    // signal: Node warned at the eleventh.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    const keys = Array.from({ length: 11 }, (_, i) => String(i + 1));
    const { repo, specId } = await fixtures.approvedGraph(
      db,
      actor,
      keys.map((key) => task(key, [])),
    );
    const executor = startExecutor(db, { workerId: "w-release", worktreesRoot, concurrency: 2 });
    try {
      await waitFor(
        () => db.spec.findUniqueOrThrow({ where: { id: specId } }),
        (s) => s.state === "DONE" && s.workspaceReleasedAt !== null,
      );
    } finally {
      await executor.stop();
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.includes("MaxListenersExceeded"))).toEqual([]);

    const spec = await db.spec.findUniqueOrThrow({ where: { id: specId } });
    const branch = spec.integrationBranch!;
    expect(worktrees(repo)).toEqual([git(repo, "rev-parse", "--show-toplevel")]);
    expect(trellisBranches(repo)).toEqual([branch]);
    expect(readdirSync(worktreesRoot)).toEqual([]);

    // Every task's commit is on the result branch, and the user can check it out.
    const subjects = git(repo, "log", "--format=%s", `main..${branch}`).split("\n");
    for (const key of keys) expect(subjects).toContain(`${key} Task ${key}`);
    git(repo, "checkout", "-q", branch);
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD")).toBe(branch);
    git(repo, "checkout", "-q", "main");
  });

  it("finishes a release cut short by a crash, even with the result branch checked out by the user", async () => {
    const { repo, specId } = await fixtures.approvedGraph(db, actor, [
      task("1", []),
      task("2", []),
    ]);
    const executor = startExecutor(db, { workerId: "w-crash", worktreesRoot, concurrency: 2 });
    try {
      await waitFor(
        () => db.spec.findUniqueOrThrow({ where: { id: specId } }),
        (s) => s.workspaceReleasedAt !== null,
      );
    } finally {
      await executor.stop();
    }
    const spec = await db.spec.findUniqueOrThrow({
      where: { id: specId },
      include: { tasks: { orderBy: { key: "asc" } } },
    });
    const branch = spec.integrationBranch!;
    const second = spec.tasks[1];

    // What a worker killed mid-release leaves: the merge worktree still registered, a task's
    // worktree folder deleted but its record not yet pruned, a merged task branch not yet
    // deleted, and the spec not marked released.
    const taskCommit = git(repo, "log", "--format=%H", "--grep", "^1 Task 1$", branch);
    const leftoverBranch = `trellis/${spec.slug}--task-1`;
    git(repo, "branch", leftoverBranch, taskCommit);
    git(repo, "worktree", "add", "-q", path.join(worktreesRoot, "integration-old-name"), branch);
    git(repo, "worktree", "add", "-q", "--detach", path.join(worktreesRoot, second!.id), branch);
    rmSync(path.join(worktreesRoot, second!.id), { recursive: true, force: true });
    await db.spec.update({ where: { id: specId }, data: { workspaceReleasedAt: null } });

    // The merge worktree holds the branch, so the user cannot check it out yet…
    expect(() => git(repo, "checkout", "-q", branch)).toThrow(
      /already (checked out|used by worktree)/,
    );

    // …until the executor's sweep finishes the release; a second sweep finds nothing to do.
    const sweep = await releaseEndedSpecWorkspaces(db, { worktreesRoot });
    expect(sweep.failed).toEqual([]);
    expect(worktrees(repo)).toEqual([git(repo, "rev-parse", "--show-toplevel")]);
    expect(trellisBranches(repo)).toEqual([branch]);
    git(repo, "checkout", "-q", branch);
    await db.spec.update({ where: { id: specId }, data: { workspaceReleasedAt: null } });
    expect((await releaseEndedSpecWorkspaces(db, { worktreesRoot })).failed).toEqual([]);
    // The user's checkout of the result branch stays as it is.
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD")).toBe(branch);
    expect(worktrees(repo)).toHaveLength(1);
  });

  it("hands back a cancelled spec's repository, keeping a task branch whose work was never merged", async () => {
    const { repo, specId } = await fixtures.approvedGraph(db, actor, [task("1", [])]);
    const spec = await db.spec.findUniqueOrThrow({ where: { id: specId } });
    const branch = `trellis/${spec.slug}`;
    // The merge worktree of a spec cancelled mid-way, and a task branch whose commit was never
    // merged into the integration branch.
    git(repo, "branch", branch, "main");
    const unmerged = git(
      repo,
      ...["-c", "user.name=T", "-c", "user.email=t@example.com"],
      ...["commit-tree", "main^{tree}", "-p", "main", "-m", "1 Task 1"],
    );
    git(repo, "branch", `${branch}--task-1`, unmerged);
    git(repo, "worktree", "add", "-q", path.join(worktreesRoot, "integration-cancelled"), branch);
    await db.spec.update({ where: { id: specId }, data: { integrationBranch: branch } });
    await db.task.updateMany({ where: { specId }, data: { status: "PENDING" } });
    await cancelSpec(db, { actor, input: { specId } });

    expect((await releaseEndedSpecWorkspaces(db, { worktreesRoot })).failed).toEqual([]);
    expect(worktrees(repo)).toHaveLength(1);
    expect(trellisBranches(repo).sort()).toEqual([branch, `${branch}--task-1`]);
    expect(
      (await db.spec.findUniqueOrThrow({ where: { id: specId } })).workspaceReleasedAt,
    ).not.toBe(null);
  });
});
