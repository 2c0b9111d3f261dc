import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/**
 * The organization's projects with open-ticket counts, newest first; `cursor` (a project id of
 * this organization) continues after that project.
 */
export async function listProjects(
  db: Db,
  options: { actor: Actor; take?: number; cursor?: string },
) {
  assertCan(options.actor, "read");
  return db.project.findMany({
    where: { orgId: options.actor.orgId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.take ?? 200, 200),
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      name: true,
      slug: true,
      description: true,
      localPath: true,
      githubRepoFullName: true,
      defaultBranch: true,
      repoKind: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { tickets: { where: { status: { in: ["OPEN", "IN_PROGRESS"] } } } } },
    },
  });
}
