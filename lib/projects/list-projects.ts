import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** The organization's projects with open-ticket counts, newest first. */
export async function listProjects(db: Db, options: { actor: Actor; take?: number }) {
  assertCan(options.actor, "read");
  return db.project.findMany({
    where: { orgId: options.actor.orgId },
    orderBy: { createdAt: "desc" },
    take: Math.min(options.take ?? 200, 200),
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
      _count: { select: { tickets: { where: { status: { in: ["OPEN", "IN_PROGRESS"] } } } } },
    },
  });
}
