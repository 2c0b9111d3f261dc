import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, realpath, rm, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/api/app-error";
import { slugify } from "@/lib/utils/slugify";
import { GIT_ENV } from "./git-env";

/*
 * Git plumbing for task workspaces. Every operation works on branches (`git branch`) or inside
 * worktrees that Trellis owns under `worktreesRoot`; the user's own checkout (its HEAD, index and
 * files) is never read from or written to beyond the shared object store and refs.
 */

const COMMITTER = ["-c", "user.name=Trellis", "-c", "user.email=trellis@trellis.local"];
// Repository hooks and signing are the user's, not ours: an agent may have planted a hook, and a
// signing prompt would hang a worker.
const SAFE_CONFIG = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false"];

/** A git command that exited non-zero; stdout and stderr are kept for the caller's message. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (${exitCode}): ${stderr.trim() || stdout.trim()}`);
    this.name = "GitCommandError";
  }
}

interface GitOutput {
  stdout: string;
  stderr: string;
}

function git(cwd: string, args: string[]): Promise<GitOutput> {
  const fullArgs = [...SAFE_CONFIG, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      fullArgs,
      { cwd, env: GIT_ENV as NodeJS.ProcessEnv, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === "number" ? error.code : null;
          reject(new GitCommandError(args, code, stdout, stderr));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** Runs git and reports whether it exited 0, for yes/no plumbing (is-ancestor, show-ref). */
async function gitSucceeds(cwd: string, args: string[]): Promise<boolean> {
  try {
    await git(cwd, args);
    return true;
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode !== null) return false;
    throw error;
  }
}

async function revParse(cwd: string, rev: string): Promise<string> {
  return (await git(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).stdout.trim();
}

async function pathExists(target: string): Promise<boolean> {
  try {
    await stat(target);
    return true;
  } catch {
    return false;
  }
}

async function assertBranchName(repoPath: string, branch: string): Promise<void> {
  if (!(await gitSucceeds(repoPath, ["check-ref-format", "--branch", branch]))) {
    throw new AppError("INVALID", `"${branch}" is not a valid branch name`);
  }
}

// ---------------------------------------------------------------------------------------------
// In-process locks. Two merges into one integration branch at once would race on its worktree,
// so they queue here. This covers one process only: across workers, the caller's task lease (one
// holder per task, and merges run by the lease holder) is what keeps merges apart.

const locks = new Map<string, Promise<void>>();

async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(fn);
  const tail = run.then(
    () => {},
    () => {},
  );
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

/** The shared .git directory: the same for the main checkout and all its worktrees. */
async function commonDir(repoPath: string): Promise<string> {
  const out = await git(repoPath, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  return realpath(out.stdout.trim());
}

// ---------------------------------------------------------------------------------------------
// Worktree bookkeeping.

interface WorktreeEntry {
  path: string;
  branch: string | null;
}

async function listWorktrees(repoPath: string): Promise<WorktreeEntry[]> {
  const { stdout } = await git(repoPath, ["worktree", "list", "--porcelain"]);
  const entries: WorktreeEntry[] = [];
  for (const block of stdout.split("\n\n")) {
    let worktreePath: string | null = null;
    let branch: string | null = null;
    for (const line of block.split("\n")) {
      if (line.startsWith("worktree ")) worktreePath = line.slice("worktree ".length);
      if (line.startsWith("branch ")) branch = line.slice("branch refs/heads/".length);
    }
    if (worktreePath) entries.push({ path: worktreePath, branch });
  }
  return entries;
}

async function samePath(a: string, b: string): Promise<boolean> {
  const real = async (p: string) => realpath(p).catch(() => path.resolve(p));
  return (await real(a)) === (await real(b));
}

/** The main working tree of the repository, i.e. the user's checkout, which we never remove. */
async function mainWorktree(repoPath: string): Promise<string | null> {
  const first = (await listWorktrees(repoPath))[0];
  const bare = (await git(repoPath, ["rev-parse", "--is-bare-repository"])).stdout.trim();
  return bare === "true" ? null : (first?.path ?? null);
}

async function dropWorktree(repoPath: string, worktreePath: string): Promise<void> {
  // Twice --force: also removes locked worktrees and ones with uncommitted changes.
  await git(repoPath, ["worktree", "remove", "--force", "--force", worktreePath]).catch(() => {});
  await rm(worktreePath, { recursive: true, force: true });
  await git(repoPath, ["worktree", "prune"]);
}

// ---------------------------------------------------------------------------------------------

/** True when `refs/heads/<branch>` exists. */
export async function branchExists(options: {
  repoPath: string;
  branch: string;
}): Promise<boolean> {
  return gitSucceeds(options.repoPath, [
    "show-ref",
    "--verify",
    "--quiet",
    `refs/heads/${options.branch}`,
  ]);
}

/** Creates `branch` at `baseBranch` when missing, without checking anything out. */
export async function ensureIntegrationBranch(options: {
  repoPath: string;
  baseBranch: string;
  branch: string;
}): Promise<{ created: boolean; sha: string }> {
  const { repoPath, baseBranch, branch } = options;
  await assertBranchName(repoPath, branch);
  if (!(await branchExists({ repoPath, branch }))) {
    if (
      !(await gitSucceeds(repoPath, ["rev-parse", "--verify", "--quiet", `${baseBranch}^{commit}`]))
    ) {
      throw new AppError("NOT_FOUND", `Base branch "${baseBranch}" not found`);
    }
    try {
      await git(repoPath, ["branch", "--no-track", branch, baseBranch]);
      return { created: true, sha: await revParse(repoPath, branch) };
    } catch (error) {
      // Someone else created it between our check and ours: that is the outcome we wanted.
      if (!(await branchExists({ repoPath, branch }))) throw error;
    }
  }
  return { created: false, sha: await revParse(repoPath, branch) };
}

/**
 * Creates a worktree at `<worktreesRoot>/<dirName>` on a new `branch` started at `from`. Leftovers
 * of an earlier attempt (the directory, its registration, the branch) are reset, so a retried
 * task starts from the current `from` with none of the crashed attempt's commits or files.
 */
export async function createTaskWorktree(options: {
  repoPath: string;
  worktreesRoot: string;
  branch: string;
  from: string;
  /** Directory name under worktreesRoot (e.g. the task id); defaults to a slug of the branch. */
  dirName?: string;
}): Promise<{ path: string; sha: string }> {
  const { repoPath, branch, from } = options;
  await assertBranchName(repoPath, branch);
  const dirName = options.dirName ?? (slugify(branch) || "worktree");
  if (dirName !== path.basename(dirName) || dirName === "." || dirName === "..") {
    throw new AppError("INVALID", `"${dirName}" is not a plain directory name`);
  }
  await mkdir(options.worktreesRoot, { recursive: true });
  const root = await realpath(options.worktreesRoot);
  const worktreePath = path.join(root, dirName);

  return withLock(`worktree\0${worktreePath}`, async () => {
    const fromSha = await revParse(repoPath, from).catch(() => "");
    if (!fromSha) throw new AppError("NOT_FOUND", `"${from}" not found`);

    const main = await mainWorktree(repoPath);
    for (const entry of await listWorktrees(repoPath)) {
      const here = await samePath(entry.path, worktreePath);
      if (!here && entry.branch !== branch) continue;
      const ours =
        here || path.dirname(await realpath(entry.path).catch(() => entry.path)) === root;
      if (!ours || (main && (await samePath(entry.path, main)))) {
        // Not a worktree we made: never remove someone's checkout to free the branch.
        throw new AppError("CONFLICT", `Branch "${branch}" is checked out at ${entry.path}`);
      }
      await dropWorktree(repoPath, entry.path);
    }
    if (await pathExists(worktreePath)) await dropWorktree(repoPath, worktreePath);
    await git(repoPath, ["worktree", "prune"]);

    // -B moves an existing branch to `from`, discarding a crashed attempt's commits.
    await git(repoPath, ["worktree", "add", "--quiet", "-B", branch, worktreePath, fromSha]);
    return { path: worktreePath, sha: fromSha };
  });
}

/** Stages everything in the worktree and commits it; null when there was nothing to commit. */
export async function commitAll(options: {
  path: string;
  message: string;
}): Promise<string | null> {
  await git(options.path, ["add", "--all"]);
  if (await gitSucceeds(options.path, ["diff", "--cached", "--quiet"])) return null;
  await git(options.path, [
    ...COMMITTER,
    "commit",
    "--quiet",
    "--no-verify",
    "-m",
    options.message,
  ]);
  return revParse(options.path, "HEAD");
}

export type MergeResult =
  | { ok: true; sha: string; alreadyMerged: boolean }
  | { ok: false; conflict: string; files: string[] };

/**
 * Merges `branch` into `integrationBranch` (`--no-ff`) in a worktree dedicated to that branch.
 * On conflict the merge is aborted and the integration branch is left as it was. A branch that
 * is already contained is not merged again. Concurrent merges into one branch queue in-process;
 * across processes they rely on the caller's task lease.
 */
export async function mergeIntoIntegration(options: {
  repoPath: string;
  worktreesRoot: string;
  integrationBranch: string;
  branch: string;
}): Promise<MergeResult> {
  const { repoPath, integrationBranch, branch } = options;
  const key = `merge\0${await commonDir(repoPath)}\0${integrationBranch}`;
  return withLock(key, async () => {
    if (!(await branchExists({ repoPath, branch }))) {
      throw new AppError("NOT_FOUND", `Branch "${branch}" not found`);
    }
    const worktree = await integrationWorktree(options);

    if (await gitSucceeds(worktree, ["merge-base", "--is-ancestor", branch, "HEAD"])) {
      return { ok: true, sha: await revParse(worktree, "HEAD"), alreadyMerged: true };
    }

    const message = `Merge branch '${branch}' into ${integrationBranch}`;
    try {
      await git(worktree, [
        ...COMMITTER,
        "merge",
        "--no-ff",
        "--no-edit",
        "--no-verify",
        "-m",
        message,
        branch,
      ]);
      return { ok: true, sha: await revParse(worktree, "HEAD"), alreadyMerged: false };
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      const unmerged = await git(worktree, ["diff", "--name-only", "--diff-filter=U"]);
      const files = unmerged.stdout.split("\n").filter(Boolean);
      await resetIntegrationWorktree(worktree);
      const gitMessage = [error.stdout.trim(), error.stderr.trim()].filter(Boolean).join("\n");
      const conflict = files.length
        ? `Merge conflict in ${files.join(", ")}\n${gitMessage}`
        : `Merge failed\n${gitMessage}`;
      return { ok: false, conflict, files };
    }
  });
}

async function resetIntegrationWorktree(worktree: string): Promise<void> {
  const gitDir = (await git(worktree, ["rev-parse", "--absolute-git-dir"])).stdout.trim();
  if (await pathExists(path.join(gitDir, "MERGE_HEAD"))) {
    await git(worktree, ["merge", "--abort"]);
  }
  await git(worktree, ["reset", "--quiet", "--hard", "HEAD"]);
  // Not -x: ignored files (installed dependencies) are expendable to git and may be kept.
  await git(worktree, ["clean", "-fdq"]);
}

/** True when `dir` is directly inside `root` (both already resolved by realpath). */
async function isDirectlyUnder(dir: string, root: string): Promise<boolean> {
  return path.dirname(await realpath(dir).catch(() => path.resolve(dir))) === root;
}

/**
 * Where merges into `integrationBranch` of this repository happen: a folder of its own under
 * `root`. The hash covers the repository too, so two projects with a spec of the same name
 * never share (and never remove) each other's folder.
 */
async function integrationWorktreePath(options: {
  repoPath: string;
  root: string;
  integrationBranch: string;
}): Promise<string> {
  const { integrationBranch } = options;
  const hash = createHash("sha256")
    .update(`${await commonDir(options.repoPath)}\0${integrationBranch}`)
    .digest("hex")
    .slice(0, 8);
  return path.join(options.root, `integration-${slugify(integrationBranch) || "branch"}-${hash}`);
}

/** The worktree where merges into `integrationBranch` happen, created on first use. */
async function integrationWorktree(options: {
  repoPath: string;
  worktreesRoot: string;
  integrationBranch: string;
}): Promise<string> {
  const { repoPath, integrationBranch } = options;
  if (!(await branchExists({ repoPath, branch: integrationBranch }))) {
    throw new AppError("NOT_FOUND", `Integration branch "${integrationBranch}" not found`);
  }
  await mkdir(options.worktreesRoot, { recursive: true });
  const root = await realpath(options.worktreesRoot);
  const worktree = await integrationWorktreePath({ repoPath, root, integrationBranch });

  const entries = await listWorktrees(repoPath);
  let registered = false;
  for (const entry of entries) {
    if (await samePath(entry.path, worktree)) registered = entry.branch === integrationBranch;
  }
  if (registered && (await pathExists(path.join(worktree, ".git")))) {
    // A crash mid-merge may have left MERGE_HEAD or half-written files: start from the branch tip.
    await resetIntegrationWorktree(worktree);
    return worktree;
  }

  if (await pathExists(worktree)) await dropWorktree(repoPath, worktree);
  await git(repoPath, ["worktree", "prune"]);
  const main = await mainWorktree(repoPath);
  for (const holder of (await listWorktrees(repoPath)).filter(
    (e) => e.branch === integrationBranch,
  )) {
    // One of ours under another name (made by an earlier version): ours to replace.
    if (
      (await isDirectlyUnder(holder.path, root)) &&
      !(main && (await samePath(holder.path, main)))
    ) {
      await dropWorktree(repoPath, holder.path);
      continue;
    }
    throw new AppError(
      "CONFLICT",
      `Integration branch "${integrationBranch}" is checked out at ${holder.path}; check out another branch there first`,
    );
  }
  await git(repoPath, ["worktree", "add", "--quiet", worktree, integrationBranch]);
  return worktree;
}

export interface ReleasedWorkspace {
  /** Worktree folders removed (with their records in the repository). */
  removedWorktrees: string[];
  /** Task branches deleted: each was merged into the integration branch. */
  deletedBranches: string[];
  /** Task branches kept: not merged (their work is nowhere else), or checked out by someone. */
  keptBranches: string[];
}

/**
 * Hands the repository back once a spec's execution is over: removes every worktree Trellis
 * made for it under `worktreesRoot` (the integration branch's, and task worktrees a crash left)
 * with their records, keeps the integration branch (the result, free to check out), and
 * deletes the task branches merged into it. Unmerged task branches stay: they hold the only
 * copy of that work. Idempotent, so a run cut short (a crash, a restart) is simply run again:
 * each step looks at what is still there. Never touches the user's own checkout, nor a
 * worktree outside `worktreesRoot`.
 */
export async function releaseWorkspace(options: {
  repoPath: string;
  worktreesRoot: string;
  integrationBranch: string;
  taskBranches: string[];
  /** Task worktree folder names under worktreesRoot (the task ids). */
  taskDirs: string[];
}): Promise<ReleasedWorkspace> {
  const { repoPath, integrationBranch } = options;
  const key = `merge\0${await commonDir(repoPath)}\0${integrationBranch}`;
  return withLock(key, async () => {
    const released: ReleasedWorkspace = {
      removedWorktrees: [],
      deletedBranches: [],
      keptBranches: [],
    };
    const root = await realpath(options.worktreesRoot).catch(() =>
      path.resolve(options.worktreesRoot),
    );
    const ours = [
      await integrationWorktreePath({ repoPath, root, integrationBranch }),
      ...options.taskDirs
        .filter((dir) => dir === path.basename(dir) && dir !== "." && dir !== "..")
        .map((dir) => path.join(root, dir)),
    ];
    const branches = new Set([integrationBranch, ...options.taskBranches]);
    const main = await mainWorktree(repoPath);
    for (const entry of await listWorktrees(repoPath)) {
      if (main && (await samePath(entry.path, main))) continue;
      let mine = false;
      for (const dir of ours) mine ||= await samePath(entry.path, dir);
      // Also ours: a worktree on one of the spec's branches in our folder under another name.
      if (!mine && entry.branch && branches.has(entry.branch)) {
        mine = await isDirectlyUnder(entry.path, root);
      }
      if (!mine) continue;
      await dropWorktree(repoPath, entry.path);
      released.removedWorktrees.push(entry.path);
    }
    // Folders a crash left without a record (or whose record is already pruned).
    for (const dir of ours) {
      if (!(await pathExists(dir))) continue;
      await rm(dir, { recursive: true, force: true });
      if (!released.removedWorktrees.includes(dir)) released.removedWorktrees.push(dir);
    }
    await git(repoPath, ["worktree", "prune"]);

    const integrated = await branchExists({ repoPath, branch: integrationBranch });
    for (const branch of options.taskBranches) {
      if (branch === integrationBranch || !(await branchExists({ repoPath, branch }))) continue;
      const merged =
        integrated &&
        (await gitSucceeds(repoPath, [
          "merge-base",
          "--is-ancestor",
          `refs/heads/${branch}`,
          `refs/heads/${integrationBranch}`,
        ]));
      // -D after our own check: -d would compare with the user's HEAD, not the integration branch.
      if (merged && (await gitSucceeds(repoPath, ["branch", "-D", branch]))) {
        released.deletedBranches.push(branch);
      } else {
        released.keptBranches.push(branch);
      }
    }
    return released;
  });
}

/** Unified diff of the worktree's committed work since it left `base` (`base...HEAD`). */
export async function diffOf(options: { path: string; base: string }): Promise<string> {
  const { stdout } = await git(options.path, [
    "diff",
    "--no-color",
    "--no-ext-diff",
    "--find-renames",
    `${options.base}...HEAD`,
  ]);
  return stdout;
}

/** Removes a task worktree (even with uncommitted changes) and prunes its registration. */
export async function removeWorktree(options: {
  repoPath: string;
  path: string;
  /** Also delete the worktree's branch. */
  deleteBranch?: string;
}): Promise<void> {
  const main = await mainWorktree(options.repoPath);
  if (main && (await samePath(options.path, main))) {
    throw new AppError("FORBIDDEN", "Refusing to remove the repository's main working tree");
  }
  await dropWorktree(options.repoPath, options.path);
  if (
    options.deleteBranch &&
    (await branchExists({ repoPath: options.repoPath, branch: options.deleteBranch }))
  ) {
    await git(options.repoPath, ["branch", "-D", options.deleteBranch]);
  }
}

/** Commits on `branch` that are not on `since` (all of them when `since` is unset), newest first. */
export async function commitsOn(options: {
  repoPath: string;
  branch: string;
  since?: string;
}): Promise<Array<{ sha: string; subject: string; parents: string[] }>> {
  const range = options.since ? `${options.since}..${options.branch}` : options.branch;
  const { stdout } = await git(options.repoPath, ["log", "--format=%H%x00%P%x00%s", range, "--"]);
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [sha = "", parents = "", subject = ""] = line.split("\0");
      return { sha, subject, parents: parents.split(" ").filter(Boolean) };
    });
}

// ---------------------------------------------------------------------------------------------
// Remotes: a self-hosted runner works in its own clone of the project's repository (`origin`)
// and pushes the task branch and the integration branch back. Several runners may push the
// same integration branch, so a rejected push fetches, merges and tries again.

/** Clones `cloneUrl` to `clonePath` (HEAD detached, so every branch can be moved), or fetches. */
export async function cloneOrFetch(options: {
  cloneUrl: string;
  clonePath: string;
}): Promise<void> {
  const { cloneUrl, clonePath } = options;
  if (await pathExists(path.join(clonePath, ".git"))) {
    await git(clonePath, ["fetch", "--quiet", "--prune", "origin"]);
    return;
  }
  await mkdir(path.dirname(clonePath), { recursive: true });
  await rm(clonePath, { recursive: true, force: true });
  await git(path.dirname(clonePath), ["clone", "--quiet", cloneUrl, clonePath]);
  await git(clonePath, ["checkout", "--quiet", "--detach"]);
}

/** Moves each local branch to origin's tip where origin has it (work not pushed is dropped). */
export async function syncBranchesFromOrigin(options: {
  repoPath: string;
  branches: string[];
}): Promise<void> {
  for (const branch of options.branches) {
    await assertBranchName(options.repoPath, branch);
    const remote = `refs/remotes/origin/${branch}`;
    if (!(await gitSucceeds(options.repoPath, ["show-ref", "--verify", "--quiet", remote])))
      continue;
    // update-ref, not `branch -f`: the integration worktree may have it checked out; it is
    // reset to the branch tip before its next merge.
    await git(options.repoPath, ["update-ref", `refs/heads/${branch}`, remote]);
  }
}

export type PushResult = { ok: true; sha: string } | { ok: false; conflict: string };

/**
 * Pushes `branch` and `integrationBranch` to origin. When origin's integration branch moved
 * (another runner pushed), fetches it, merges it into ours and pushes again, up to `tries`.
 */
export async function pushToOrigin(options: {
  repoPath: string;
  worktreesRoot: string;
  integrationBranch: string;
  branch: string;
  tries?: number;
}): Promise<PushResult> {
  const { repoPath, integrationBranch, branch } = options;
  const tries = options.tries ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      await git(repoPath, ["push", "--quiet", "--force", "origin", `refs/heads/${branch}`]);
      await git(repoPath, ["push", "--quiet", "origin", `refs/heads/${integrationBranch}`]);
      return { ok: true, sha: await revParse(repoPath, integrationBranch) };
    } catch (error) {
      if (!(error instanceof GitCommandError) || attempt >= tries) throw error;
    }
    await git(repoPath, ["fetch", "--quiet", "origin", integrationBranch]);
    const key = `merge\0${await commonDir(repoPath)}\0${integrationBranch}`;
    const merged = await withLock(key, async () => {
      const worktree = await integrationWorktree({ ...options });
      try {
        await git(worktree, [
          ...COMMITTER,
          "merge",
          "--quiet",
          "--no-ff",
          "--no-edit",
          `origin/${integrationBranch}`,
        ]);
        return null;
      } catch (error) {
        const files = await git(worktree, ["diff", "--name-only", "--diff-filter=U"]).catch(() => ({
          stdout: "",
        }));
        await git(worktree, ["merge", "--abort"]).catch(() => {});
        if (error instanceof GitCommandError) {
          return `merging origin/${integrationBranch} conflicted in ${files.stdout.trim().split("\n").join(", ") || "some files"}`;
        }
        throw error;
      }
    });
    if (merged) return { ok: false, conflict: merged };
  }
}
