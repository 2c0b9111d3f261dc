import "server-only";
import { stat } from "node:fs/promises";
import type { Db } from "@/lib/db/client";
import { mirrorPath } from "@/lib/github/repository-mirror";
import { type ReleasedWorkspace, releaseWorkspace } from "@/lib/workspaces/git-workspace";
import { taskBranchOf } from "./task-branches";

const ended = new Set(["DONE", "FAILED", "CANCELLED"]);

/**
 * Gives a spec's repository back once its execution has ended (done or cancelled): Trellis'
 * worktrees for it are removed, the task branches merged into the integration branch deleted,
 * and the integration branch, the result, kept, so the user can check it out in their own
 * repository. Marks the spec released. Does nothing while the spec runs or a task of it is
 * still running or verifying (its merge needs the integration worktree). Safe to repeat: a
 * release cut short by a crash is done again by the executor's sweep
 * (releaseEndedSpecWorkspaces). The built-in runner's worker calls it, on the machine whose
 * `worktreesRoot` holds the worktrees.
 */
export async function releaseSpecWorkspace(
  db: Db,
  options: { specId: string; worktreesRoot: string },
): Promise<ReleasedWorkspace | null> {
  const spec = await db.spec.findUnique({
    where: { id: options.specId },
    select: {
      id: true,
      slug: true,
      state: true,
      integrationBranch: true,
      project: { select: { id: true, repoKind: true, localPath: true } },
      tasks: { select: { id: true, key: true, status: true } },
    },
  });
  if (!spec || !ended.has(spec.state) || !spec.integrationBranch) return null;
  if (spec.tasks.some((t) => t.status === "RUNNING" || t.status === "VERIFYING")) return null;

  const repoPath =
    spec.project.repoKind === "GITHUB" ? mirrorPath(spec.project.id) : spec.project.localPath;
  // A repository that is gone (or on another machine) holds nothing of ours to remove here.
  const present = repoPath
    ? await stat(repoPath).then(
        () => true,
        () => false,
      )
    : false;
  const released =
    repoPath && present
      ? await releaseWorkspace({
          repoPath,
          worktreesRoot: options.worktreesRoot,
          integrationBranch: spec.integrationBranch,
          taskBranches: spec.tasks.map((t) => taskBranchOf(spec, t.key)),
          taskDirs: spec.tasks.map((t) => t.id),
        })
      : { removedWorktrees: [], deletedBranches: [], keptBranches: [] };
  await db.spec.updateMany({
    where: { id: spec.id, workspaceReleasedAt: null },
    data: { workspaceReleasedAt: new Date() },
  });
  return released;
}

/**
 * The executor's sweep: releases the workspaces of specs that ended and are not released yet
 * (a cancel from the web, a worker that stopped mid-release, specs that ended before releases
 * existed), oldest first, up to `limit`. A failure is reported and left for the next sweep.
 */
export async function releaseEndedSpecWorkspaces(
  db: Db,
  options: { worktreesRoot: string; limit?: number },
): Promise<{ released: number; failed: { specId: string; error: unknown }[] }> {
  // Literal states, so the planner matches the partial index (migration spec_workspace_released).
  const specs = await db.$queryRaw<{ id: string }[]>`
    SELECT s.id FROM "Spec" s
    WHERE s."workspaceReleasedAt" IS NULL AND s."integrationBranch" IS NOT NULL
      AND s.state IN ('DONE', 'FAILED', 'CANCELLED')
      AND NOT EXISTS (
        SELECT 1 FROM "Task" t WHERE t."specId" = s.id AND t.status IN ('RUNNING', 'VERIFYING'))
    ORDER BY s."updatedAt"
    LIMIT ${options.limit ?? 20}`;
  const outcome = { released: 0, failed: [] as { specId: string; error: unknown }[] };
  for (const { id } of specs) {
    try {
      const done = await releaseSpecWorkspace(db, {
        specId: id,
        worktreesRoot: options.worktreesRoot,
      });
      if (done) outcome.released++;
    } catch (error) {
      outcome.failed.push({ specId: id, error });
    }
  }
  return outcome;
}

/**
 * A task of a released spec ran again (a cancelled spec's queued task, a person's retry): it
 * may have made worktrees since, so the sweep looks at the spec once more.
 */
export async function unreleaseSpecWorkspace(db: Db, options: { specId: string }) {
  await db.spec.updateMany({
    where: { id: options.specId, workspaceReleasedAt: { not: null } },
    data: { workspaceReleasedAt: null },
  });
}
