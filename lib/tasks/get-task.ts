import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

const taskRef = { select: { id: true, key: true, title: true, status: true } } as const;

/** A task of the actor's organization with its spec, project and dependencies both ways; others are NOT_FOUND. */
export async function getTask(db: Db, options: { actor: Actor; taskId: string }) {
  assertCan(options.actor, "read");
  const task = await db.task.findFirst({
    where: { id: options.taskId, orgId: options.actor.orgId },
    include: {
      spec: { select: { id: true, title: true, slug: true, state: true } },
      project: { select: { id: true, name: true, slug: true } },
      dependsOn: { select: { dependsOn: taskRef } },
      dependedOnBy: { select: { task: taskRef } },
    },
  });
  if (!task) throw notFound("Task");
  const { dependsOn, dependedOnBy, ...rest } = task;
  return {
    ...rest,
    dependsOn: dependsOn.map((edge) => edge.dependsOn),
    dependents: dependedOnBy.map((edge) => edge.task),
  };
}
