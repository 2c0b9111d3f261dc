import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind, AgentKind } from "@/lib/generated/prisma/enums";

type Tx = Pick<Prisma.TransactionClient, "run" | "activityEvent">;

/**
 * Opens the run of a claimed task's current attempt and puts the start on the timeline, in the
 * caller's transaction: the one place a start is recorded (the claim itself records none), for
 * the built-in runner and self-hosted runners alike.
 */
export async function startRun(
  tx: Tx,
  options: {
    task: {
      id: string;
      orgId: string;
      projectId: string;
      specId: string;
      key: string;
      attempts: number;
    };
    workerId: string;
    branch: string;
    actorKind: ActorKind;
    agentKind?: AgentKind;
    runner?: { id: string; name: string };
    startedAt?: Date;
  },
): Promise<{ id: string }> {
  const { task, workerId, runner } = options;
  const startedAt = options.startedAt ?? new Date();
  const run = await tx.run.create({
    data: {
      orgId: task.orgId,
      taskId: task.id,
      specId: task.specId,
      attempt: task.attempts,
      status: "RUNNING",
      agentKind: options.agentKind,
      runnerId: runner?.id,
      workerId,
      branch: options.branch,
      startedAt,
      heartbeatAt: startedAt,
    },
    select: { id: true },
  });
  await recordActivity(tx, {
    orgId: task.orgId,
    type: "task.started",
    actorKind: options.actorKind,
    projectId: task.projectId,
    specId: task.specId,
    taskId: task.id,
    data: {
      from: "QUEUED",
      to: "RUNNING",
      key: task.key,
      attempt: task.attempts,
      workerId,
      runId: run.id,
      ...(runner ? { runner: runner.name } : {}),
    },
  });
  return run;
}
