import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { duplicateScore } from "./duplicate-tasks";
import { recordIntervention } from "./record-intervention";

/** Tasks of other specs compared against, newest first: enough for a busy project. */
const COMPARED = 2_000;

/**
 * The conductor, inside the caller's transaction: compares a spec's new tasks with the tasks
 * of the project's other specs (any not cancelled) and records a FLAG_DUPLICATE intervention
 * on each that looks like one of them, naming it. Flags inform; they block nothing.
 * Returns how many tasks were flagged.
 */
export async function flagDuplicateTasks(
  tx: Prisma.TransactionClient,
  options: { orgId: string; projectId: string; specId: string },
): Promise<number> {
  const fresh = await tx.task.findMany({
    where: { specId: options.specId, orgId: options.orgId },
    select: { id: true, key: true, title: true, files: true },
  });
  const others = await tx.task.findMany({
    where: {
      orgId: options.orgId,
      projectId: options.projectId,
      specId: { not: options.specId },
      status: { not: "CANCELLED" },
    },
    orderBy: { createdAt: "desc" },
    take: COMPARED,
    select: { id: true, key: true, title: true, files: true, spec: { select: { title: true } } },
  });
  let flagged = 0;
  for (const task of fresh) {
    let best: { other: (typeof others)[number]; score: number } | null = null;
    for (const other of others) {
      const score = duplicateScore(task, other);
      if (score !== null && (!best || score > best.score)) best = { other, score };
    }
    if (!best) continue;
    await recordIntervention(tx, {
      orgId: options.orgId,
      action: "FLAG_DUPLICATE",
      reason: `Looks like task ${best.other.key} “${best.other.title}” of the spec “${best.other.spec.title}” (${Math.round(best.score * 100)}% alike)`,
      projectId: options.projectId,
      specId: options.specId,
      taskId: task.id,
      taskKey: task.key,
      data: { duplicateOfTaskId: best.other.id },
    });
    flagged++;
  }
  return flagged;
}
