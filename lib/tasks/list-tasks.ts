import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { TaskStatus } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";

const taskStatusSchema = z.enum(TaskStatus, { error: "Unknown task status" });

export const listTasksSchema = z.object({
  specId: z.string().min(1).optional(),
  projectId: z.string().min(1).optional(),
  /** One status or several (a board column, or "everything active"). */
  status: z.union([taskStatusSchema, z.array(taskStatusSchema).min(1)]).optional(),
  limit: z.number().int().min(1).max(500).default(200),
  cursor: z.string().min(1).optional(),
});
export type ListTasksInput = z.input<typeof listTasksSchema>;

/** A page of the organization's tasks in queue order (rank, then creation), optionally by spec, project and status. */
export async function listTasks(db: Db, options: { actor: Actor } & ListTasksInput) {
  const { actor } = options;
  assertCan(actor, "read");
  const input = listTasksSchema.parse(options);
  const statuses =
    input.status === undefined
      ? undefined
      : Array.isArray(input.status)
        ? input.status
        : [input.status];
  const rows = await db.task.findMany({
    where: {
      orgId: actor.orgId,
      ...(input.specId ? { specId: input.specId } : {}),
      ...(input.projectId ? { projectId: input.projectId } : {}),
      ...(statuses ? { status: { in: statuses } } : {}),
    },
    orderBy: [{ rank: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      projectId: true,
      specId: true,
      key: true,
      title: true,
      phase: true,
      status: true,
      rank: true,
      estimateMinutes: true,
      labels: true,
      agentKind: true,
      attempts: true,
      maxAttempts: true,
      notBefore: true,
      leaseOwner: true,
      lastHeartbeatAt: true,
      attentionReason: true,
      startedAt: true,
      finishedAt: true,
      createdAt: true,
      updatedAt: true,
      dependsOn: { select: { dependsOnId: true } },
    },
  });
  const items = rows.slice(0, input.limit).map(({ dependsOn, ...task }) => ({
    ...task,
    dependsOnIds: dependsOn.map((edge) => edge.dependsOnId),
  }));
  const nextCursor = rows.length > input.limit ? (items.at(-1)?.id ?? null) : null;
  return { items, nextCursor };
}
