import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** A spec's tasks in queue order with their dependencies and progress, for the Execution tab. */
export async function listSpecTasks(db: Db, options: { actor: Actor; specId: string }) {
  assertCan(options.actor, "read");
  return db.task.findMany({
    where: { specId: options.specId, orgId: options.actor.orgId },
    orderBy: [{ rank: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      key: true,
      title: true,
      phase: true,
      status: true,
      attempts: true,
      attentionReason: true,
      costUsd: true,
      startedAt: true,
      finishedAt: true,
      dependsOn: { select: { dependsOn: { select: { key: true, status: true } } } },
    },
  });
}
