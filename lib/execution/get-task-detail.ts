import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { runVerifications } from "./run-verifications";

/** A task with its dependencies, the guardian's interventions, its runs (newest first, attempts of a retry included), the latest run's log, verification and cost. */
export async function getTaskDetail(
  db: Db,
  options: { actor: Actor; taskId: string; logLimit?: number },
) {
  assertCan(options.actor, "read");
  const task = await db.task.findFirst({
    where: { id: options.taskId, orgId: options.actor.orgId },
    include: {
      spec: { select: { id: true, title: true, state: true, integrationBranch: true } },
      project: {
        select: { id: true, name: true, localPath: true, testCommand: true, lintCommand: true },
      },
      dependsOn: {
        select: { dependsOn: { select: { id: true, key: true, title: true, status: true } } },
      },
      guardian: {
        orderBy: { createdAt: "desc" },
        take: 20,
        select: { id: true, action: true, reason: true, createdAt: true },
      },
      runs: {
        // Newest first by when each began: a retried task starts its attempts at 1 again.
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: {
          id: true,
          attempt: true,
          status: true,
          agentKind: true,
          model: true,
          workerId: true,
          heartbeatAt: true,
          runner: { select: { id: true, name: true } },
          branch: true,
          commitSha: true,
          summary: true,
          diff: true,
          errorMessage: true,
          costUsd: true,
          inputTokens: true,
          outputTokens: true,
          startedAt: true,
          finishedAt: true,
          createdAt: true,
          verifications: runVerifications,
          _count: { select: { traceEvents: true } },
        },
      },
    },
  });
  if (!task) throw notFound("Task");
  const latest = task.runs[0];
  const logs = latest
    ? (
        await db.runLog.findMany({
          where: { runId: latest.id },
          orderBy: { seq: "desc" },
          take: options.logLimit ?? 2000,
          select: { seq: true, stream: true, text: true, createdAt: true },
        })
      ).reverse()
    : [];
  return { task, latest, logs };
}
