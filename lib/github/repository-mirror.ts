// Local mirrors of GitHub repositories: execution works in git worktrees, so a project linked to
// GitHub gets a bare clone under DATA_DIR that task worktrees branch from. Clones, fetches and
// pushes authenticate with the installation token through git's environment
// (GIT_CONFIG_KEY_0=http.<GitHub URL>/.extraHeader): the token is never an argument, never in the
// mirror's config or remote URL, and never on disk.
import "server-only";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { GIT_ENV } from "@/lib/workspaces/git-env";
import { type GithubAppConfig, githubAppConfig, installationToken } from "./github-client";

const GIT_TIMEOUT_MS = 10 * 60 * 1000;
// Tasks of one spec often start together; one fetch serves them all.
const FETCH_REUSE_MS = 15_000;

/** A git command on a GitHub remote that failed; the message holds git's output, never the token. */
export class GithubGitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed: ${stderr.trim().split("\n").slice(-3).join(" ")}`);
    this.name = "GithubGitError";
  }
}

/** https://github.com/<owner>/<repo>.git (or the configured GitHub web URL). */
export function cloneUrl(config: GithubAppConfig, fullName: string): string {
  return `${config.webUrl}/${fullName}.git`;
}

async function gitWithToken(
  cwd: string,
  args: string[],
  auth: { config: GithubAppConfig; token: string },
): Promise<string> {
  const basic = Buffer.from(`x-access-token:${auth.token}`).toString("base64");
  const gitEnv: Record<string, string> = {
    ...GIT_ENV,
    GIT_ASKPASS: "/bin/false",
    // Only requests to the GitHub host carry the header (not a redirect elsewhere).
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: `http.${auth.config.webUrl}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "core.hooksPath=/dev/null", ...args],
      {
        cwd,
        env: gitEnv as NodeJS.ProcessEnv,
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (error) reject(new GithubGitError(args, stderr || error.message));
        else resolve(stdout);
      },
    );
  });
}

/** Where a project's mirror lives: <DATA_DIR>/github-mirrors/<projectId>.git. */
export function mirrorPath(projectId: string): string {
  return path.resolve(env().DATA_DIR, "github-mirrors", `${projectId}.git`);
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

const locks = new Map<string, Promise<unknown>>();
async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => {});
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}
const lastFetch = new Map<string, number>();

async function linkedRepository(db: Db, projectId: string) {
  const project = await db.project.findUniqueOrThrow({
    where: { id: projectId },
    select: {
      repoKind: true,
      githubRepoFullName: true,
      defaultBranch: true,
      githubInstallation: { select: { installationId: true, suspendedAt: true } },
    },
  });
  const installation = project.githubInstallation;
  if (project.repoKind !== "GITHUB" || !project.githubRepoFullName || !installation) {
    throw new AppError(
      "INVALID",
      "The project is not linked to a GitHub repository through an installation; link it again in the project settings.",
    );
  }
  if (installation.suspendedAt) {
    throw new AppError("UNAVAILABLE", "The project's GitHub installation is suspended.");
  }
  const config = githubAppConfig();
  return {
    config,
    fullName: project.githubRepoFullName,
    defaultBranch: project.defaultBranch,
    token: () => installationToken(installation.installationId, config),
  };
}

/**
 * The local repository execution uses for a GitHub project: a bare mirror, cloned on first use
 * and fetched (its default branch) before work starts. Task worktrees and the integration branch
 * live in it; the integration branch goes back to GitHub with `pushGithubBranch`.
 */
export async function syncGithubMirror(db: Db, options: { projectId: string }): Promise<string> {
  const repo = await linkedRepository(db, options.projectId);
  const dir = mirrorPath(options.projectId);
  return withLock(dir, async () => {
    const url = cloneUrl(repo.config, repo.fullName);
    if (!(await exists(path.join(dir, "HEAD")))) {
      await mkdir(path.dirname(dir), { recursive: true });
      // Clone beside the final place and rename, so a crash never leaves a half-cloned mirror.
      const partial = `${dir}.partial-${randomBytes(4).toString("hex")}`;
      try {
        await gitWithToken(
          path.dirname(dir),
          ["clone", "--bare", "--no-tags", "--quiet", url, partial],
          { config: repo.config, token: await repo.token() },
        );
        await rename(partial, dir);
      } finally {
        await rm(partial, { recursive: true, force: true });
      }
      lastFetch.set(dir, Date.now());
    } else if (Date.now() - (lastFetch.get(dir) ?? 0) > FETCH_REUSE_MS) {
      const branch = repo.defaultBranch;
      // Only the default branch: Trellis' own branches in the mirror are never overwritten.
      await gitWithToken(
        dir,
        ["fetch", "--quiet", "--no-tags", url, `+refs/heads/${branch}:refs/heads/${branch}`],
        { config: repo.config, token: await repo.token() },
      );
      lastFetch.set(dir, Date.now());
    }
    return dir;
  });
}

/** Pushes `branch` from the project's mirror to its GitHub repository (never forced). */
export async function pushGithubBranch(
  db: Db,
  options: { projectId: string; branch: string },
): Promise<void> {
  const repo = await linkedRepository(db, options.projectId);
  const dir = mirrorPath(options.projectId);
  if (!(await exists(path.join(dir, "HEAD")))) {
    throw new AppError(
      "NOT_FOUND",
      `The work of this spec is not on this machine (no mirror at ${dir}); push it from the worker that ran it.`,
    );
  }
  const ref = `refs/heads/${options.branch}`;
  const token = await repo.token();
  await withLock(dir, () =>
    gitWithToken(dir, ["push", "--quiet", cloneUrl(repo.config, repo.fullName), `${ref}:${ref}`], {
      config: repo.config,
      token,
    }),
  );
}
