import "server-only";
import type { Db } from "@/lib/db/client";
import { notifySpecStatus } from "@/lib/github/spec-status";
import { transitionSpec } from "./transition-spec";

/**
 * Moves an executing spec to DONE once every one of its tasks is done (the
 * integration branch then holds all the work). Safe to call after every task:
 * it does nothing while any task is unfinished or the spec has moved on.
 */
export async function finishSpecExecution(db: Db, options: { orgId: string; specId: string }) {
  const finished = await db.$transaction(async (tx) => {
    const spec = await tx.spec.findFirst({
      where: { id: options.specId, orgId: options.orgId },
      select: { state: true, integrationBranch: true },
    });
    if (!spec || (spec.state !== "EXECUTING" && spec.state !== "VERIFYING")) return false;
    const unfinished = await tx.task.count({
      where: { specId: options.specId, status: { not: "DONE" } },
    });
    const total = await tx.task.count({ where: { specId: options.specId } });
    if (total === 0 || unfinished > 0) return false;
    await transitionSpec(tx, {
      orgId: options.orgId,
      specId: options.specId,
      event: { type: "executionFinished" },
      actorKind: "SYSTEM",
      activityData: { tasks: total, branch: spec.integrationBranch },
    });
    return true;
  });
  // A GitHub-linked spec now pushes its branch and opens its pull request (in the background).
  if (finished) await notifySpecStatus(db, options);
  return finished;
}
