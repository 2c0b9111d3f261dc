import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { GuardianAction } from "@/lib/generated/prisma/enums";

type Tx = Pick<Prisma.TransactionClient, "guardianIntervention" | "activityEvent">;

export interface InterventionInput {
  orgId: string;
  action: GuardianAction;
  reason: string;
  projectId?: string | null;
  specId?: string | null;
  taskId?: string | null;
  taskKey?: string | null;
  runId?: string | null;
  /** Extra detail for the timeline (e.g. the task a duplicate resembles). */
  data?: Record<string, Prisma.InputJsonValue>;
}

/**
 * Records one guardian or conductor intervention with its reason, and the matching
 * "guardian.<action>" activity event, inside the caller's transaction.
 */
export async function recordIntervention(tx: Tx, input: InterventionInput) {
  const intervention = await tx.guardianIntervention.create({
    data: {
      orgId: input.orgId,
      taskId: input.taskId ?? null,
      runId: input.runId ?? null,
      action: input.action,
      reason: input.reason,
    },
    select: { id: true },
  });
  await recordActivity(tx, {
    orgId: input.orgId,
    type: `guardian.${input.action.toLowerCase()}`,
    actorKind: "SYSTEM",
    projectId: input.projectId,
    specId: input.specId,
    taskId: input.taskId,
    data: {
      action: input.action,
      reason: input.reason,
      ...(input.taskKey ? { key: input.taskKey } : {}),
      ...(input.runId ? { runId: input.runId } : {}),
      ...input.data,
    },
  });
  return intervention;
}
