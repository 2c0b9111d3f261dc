import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeGitRepo } from "@/lib/testing/git-repo";
import {
  branchExists,
  commitAll,
  commitsOn,
  createTaskWorktree,
  diffOf,
  ensureIntegrationBranch,
  mergeIntoIntegration,
  releaseWorkspace,
  removeWorktree,
} from "./git-workspace";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();

const APP = ["line 1", "line 2", "line 3", "line 4", "line 5", ""].join("\n");

let repo: string;
let worktreesRoot: string;
let userState: () => { branch: string; head: string; status: string; scratch: string };
let before: ReturnType<typeof userState>;

beforeAll(() => {
  repo = makeGitRepo("main");
  writeFileSync(path.join(repo, "app.txt"), APP);
  git(repo, "add", "app.txt");
  git(repo, "commit", "-q", "-m", "add app");
  // The user's own checkout has uncommitted work that must survive everything below.
  writeFileSync(path.join(repo, "README.md"), "# user edit in progress\n");
  writeFileSync(path.join(repo, "scratch.txt"), "untracked notes\n");
  worktreesRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-worktrees-"));
  userState = () => ({
    branch: git(repo, "symbolic-ref", "--short", "HEAD"),
    head: git(repo, "rev-parse", "HEAD"),
    status: git(repo, "status", "--porcelain"),
    scratch: readFileSync(path.join(repo, "scratch.txt"), "utf8"),
  });
  before = userState();
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(worktreesRoot, { recursive: true, force: true });
});

const INTEGRATION = "trellis/integration";

function edit(worktree: string, file: string, content: string) {
  writeFileSync(path.join(worktree, file), content);
}

describe("git workspaces", () => {
  it("runs tasks in worktrees and merges them into the integration branch", async () => {
    const created = await ensureIntegrationBranch({
      repoPath: repo,
      baseBranch: "main",
      branch: INTEGRATION,
    });
    expect(created).toEqual({ created: true, sha: before.head });
    expect(
      await ensureIntegrationBranch({ repoPath: repo, baseBranch: "main", branch: INTEGRATION }),
    ).toEqual({ created: false, sha: before.head });

    const a = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: "task/a",
      from: INTEGRATION,
      dirName: "tsk_a",
    });
    const b = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: "task/b",
      from: INTEGRATION,
      dirName: "tsk_b",
    });
    expect(a.path).toBe(path.join(realRoot(), "tsk_a"));
    expect(git(a.path, "symbolic-ref", "--short", "HEAD")).toBe("task/a");

    expect(await commitAll({ path: a.path, message: "nothing" })).toBeNull();
    edit(a.path, "app.txt", APP.replace("line 1", "line 1 by a"));
    edit(a.path, "a.txt", "from a\n");
    const shaA = await commitAll({ path: a.path, message: "task a" });
    expect(shaA).toMatch(/^[0-9a-f]{40}$/);
    edit(b.path, "b.txt", "from b\n");
    await commitAll({ path: b.path, message: "task b" });

    const diff = await diffOf({ path: a.path, base: INTEGRATION });
    expect(diff).toContain("+++ b/a.txt");
    expect(diff).toContain("+line 1 by a");
    expect(diff).not.toContain("b.txt");

    const mergedA = await mergeIntoIntegration({
      repoPath: repo,
      worktreesRoot,
      integrationBranch: INTEGRATION,
      branch: "task/a",
    });
    expect(mergedA).toMatchObject({ ok: true, alreadyMerged: false });
    const mergedB = await mergeIntoIntegration({
      repoPath: repo,
      worktreesRoot,
      integrationBranch: INTEGRATION,
      branch: "task/b",
    });
    expect(mergedB).toMatchObject({ ok: true, alreadyMerged: false });

    const history = await commitsOn({ repoPath: repo, branch: INTEGRATION, since: "main" });
    expect(history.map((c) => c.subject).sort()).toEqual(
      [
        `Merge branch 'task/a' into ${INTEGRATION}`,
        `Merge branch 'task/b' into ${INTEGRATION}`,
        "task a",
        "task b",
      ].sort(),
    );
    // Merged in order, each as its own merge commit on the integration line.
    expect(git(repo, "log", "--first-parent", "--format=%s", `main..${INTEGRATION}`)).toBe(
      `Merge branch 'task/b' into ${INTEGRATION}\nMerge branch 'task/a' into ${INTEGRATION}`,
    );
    expect(history.find((c) => c.subject.startsWith("Merge"))!.parents).toHaveLength(2);
    expect(git(repo, "show", `${INTEGRATION}:a.txt`)).toBe("from a");
    expect(git(repo, "show", `${INTEGRATION}:b.txt`)).toBe("from b");

    // Merging a branch again (a retried merge step) adds nothing.
    const again = await mergeIntoIntegration({
      repoPath: repo,
      worktreesRoot,
      integrationBranch: INTEGRATION,
      branch: "task/a",
    });
    expect(again).toEqual({ ok: true, sha: mergedB.ok ? mergedB.sha : "", alreadyMerged: true });
    expect(await commitsOn({ repoPath: repo, branch: INTEGRATION, since: "main" })).toHaveLength(4);
  });

  it("reports a conflict and leaves the integration branch unchanged", async () => {
    const tip = git(repo, "rev-parse", INTEGRATION);
    // Started from main, before task a's change to line 1 landed.
    const c = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: "task/c",
      from: "main",
    });
    edit(c.path, "app.txt", APP.replace("line 1", "line 1 by c"));
    edit(c.path, "c.txt", "from c\n");
    await commitAll({ path: c.path, message: "task c" });

    const result = await mergeIntoIntegration({
      repoPath: repo,
      worktreesRoot,
      integrationBranch: INTEGRATION,
      branch: "task/c",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.files).toEqual(["app.txt"]);
    expect(result.conflict).toContain("app.txt");
    expect(result.conflict).toMatch(/CONFLICT/);
    expect(git(repo, "rev-parse", INTEGRATION)).toBe(tip);

    // The integration worktree is clean again: the next merge works.
    const d = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: "task/d",
      from: INTEGRATION,
    });
    edit(d.path, "d.txt", "from d\n");
    await commitAll({ path: d.path, message: "task d" });
    const merged = await mergeIntoIntegration({
      repoPath: repo,
      worktreesRoot,
      integrationBranch: INTEGRATION,
      branch: "task/d",
    });
    expect(merged.ok).toBe(true);
    expect(git(repo, "show", `${INTEGRATION}:app.txt`)).toContain("line 1 by a");
  });

  it("recreates a crashed task's worktree clean from the current integration branch", async () => {
    const first = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: "task/e",
      from: "main",
      dirName: "tsk_e",
    });
    edit(first.path, "half.txt", "half done\n");
    await commitAll({ path: first.path, message: "half-done attempt" });
    edit(first.path, "garbage.txt", "uncommitted\n");
    git(first.path, "worktree", "lock", first.path);

    const retry = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: "task/e",
      from: INTEGRATION,
      dirName: "tsk_e",
    });
    expect(retry.path).toBe(first.path);
    expect(git(retry.path, "rev-parse", "HEAD")).toBe(git(repo, "rev-parse", INTEGRATION));
    expect(git(retry.path, "status", "--porcelain")).toBe("");
    expect(existsSync(path.join(retry.path, "half.txt"))).toBe(false);
    expect(existsSync(path.join(retry.path, "garbage.txt"))).toBe(false);
    expect(await commitsOn({ repoPath: repo, branch: "task/e", since: INTEGRATION })).toEqual([]);

    // A crash that lost the directory but left git's registration behind.
    rmSync(retry.path, { recursive: true, force: true });
    const third = await createTaskWorktree({
      repoPath: repo,
      worktreesRoot,
      branch: "task/e",
      from: INTEGRATION,
      dirName: "tsk_e",
    });
    expect(git(third.path, "symbolic-ref", "--short", "HEAD")).toBe("task/e");

    edit(third.path, "e.txt", "from e\n");
    await commitAll({ path: third.path, message: "task e" });
    const before = git(repo, "rev-list", "--count", INTEGRATION);
    const merged = await mergeIntoIntegration({
      repoPath: repo,
      worktreesRoot,
      integrationBranch: INTEGRATION,
      branch: "task/e",
    });
    expect(merged.ok).toBe(true);
    // One task commit and one merge commit: nothing from the crashed attempt.
    expect(Number(git(repo, "rev-list", "--count", INTEGRATION))).toBe(Number(before) + 2);
    expect(git(repo, "log", "--format=%s", INTEGRATION)).not.toContain("half-done");
  });

  it("serialises concurrent merges into one integration branch", async () => {
    const branches = ["task/f1", "task/f2", "task/f3"];
    for (const branch of branches) {
      const wt = await createTaskWorktree({ repoPath: repo, worktreesRoot, branch, from: "main" });
      edit(wt.path, `${branch.slice(5)}.txt`, `${branch}\n`);
      await commitAll({ path: wt.path, message: branch });
    }
    const results = await Promise.all(
      branches.map((branch) =>
        mergeIntoIntegration({
          repoPath: repo,
          worktreesRoot,
          integrationBranch: INTEGRATION,
          branch,
        }),
      ),
    );
    expect(results.every((r) => r.ok && !r.alreadyMerged)).toBe(true);
    for (const branch of branches) {
      expect(git(repo, "show", `${INTEGRATION}:${branch.slice(5)}.txt`)).toBe(branch);
    }
  });

  it("removes worktrees and refuses to remove the user's checkout", async () => {
    const wt = path.join(realRoot(), "tsk_a");
    await removeWorktree({ repoPath: repo, path: wt, deleteBranch: "task/a" });
    expect(existsSync(wt)).toBe(false);
    expect(git(repo, "worktree", "list")).not.toContain(wt);
    expect(await branchExists({ repoPath: repo, branch: "task/a" })).toBe(false);
    expect(await branchExists({ repoPath: repo, branch: "task/b" })).toBe(true);
    await expect(removeWorktree({ repoPath: repo, path: repo })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("hands a repository back without touching another repository's spec of the same name", async () => {
    // Two projects, one spec name: each has its own merge worktree under the shared root.
    const other = makeGitRepo("main");
    try {
      for (const r of [repo, other]) {
        await ensureIntegrationBranch({ repoPath: r, baseBranch: "main", branch: "trellis/same" });
        const task = await createTaskWorktree({
          repoPath: r,
          worktreesRoot,
          branch: "trellis/same--task-1",
          from: "trellis/same",
          dirName: `tsk_same_${r === repo ? "a" : "b"}`,
        });
        edit(task.path, "same.txt", `${r}\n`);
        await commitAll({ path: task.path, message: "same 1" });
        const merged = await mergeIntoIntegration({
          repoPath: r,
          worktreesRoot,
          integrationBranch: "trellis/same",
          branch: "trellis/same--task-1",
        });
        expect(merged.ok).toBe(true);
      }
      const released = await releaseWorkspace({
        repoPath: repo,
        worktreesRoot,
        integrationBranch: "trellis/same",
        taskBranches: ["trellis/same--task-1"],
        taskDirs: ["tsk_same_a"],
      });
      expect(released.removedWorktrees).toHaveLength(2);
      expect(released.deletedBranches).toEqual(["trellis/same--task-1"]);
      expect(git(repo, "worktree", "list", "--porcelain")).not.toMatch(
        /integration-trellis-same|tsk_same/,
      );
      expect(await branchExists({ repoPath: repo, branch: "trellis/same" })).toBe(true);
      // The other repository's worktrees are still there, and it merges on.
      expect(
        git(other, "worktree", "list", "--porcelain").match(/integration-trellis-same|tsk_same_b/g),
      ).toHaveLength(2);
      expect(git(other, "status", "--porcelain")).toBe("");
      // Again, as after a crash: nothing left to do, nothing breaks.
      expect(
        await releaseWorkspace({
          repoPath: repo,
          worktreesRoot,
          integrationBranch: "trellis/same",
          taskBranches: ["trellis/same--task-1"],
          taskDirs: ["tsk_same_a"],
        }),
      ).toEqual({ removedWorktrees: [], deletedBranches: [], keptBranches: [] });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("never touched the user's main working tree", () => {
    // Same checked-out branch, same commit, same uncommitted edits and untracked files.
    expect(userState()).toEqual(before);
    expect(git(repo, "show", "main:app.txt")).not.toContain("by a");
  });
});

function realRoot(): string {
  return execFileSync("realpath", [worktreesRoot], { encoding: "utf8" }).trim();
}
