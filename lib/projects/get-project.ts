import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** A project of the actor's organization; another organization's project is NOT_FOUND. */
export async function getProject(db: Db, options: { actor: Actor; projectId: string }) {
  assertCan(options.actor, "read");
  const project = await db.project.findFirst({
    where: { id: options.projectId, orgId: options.actor.orgId },
  });
  if (!project) throw notFound("Project");
  return project;
}
