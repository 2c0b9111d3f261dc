import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** Deletes a project with its tickets, specs and tasks (the repository on disk is untouched). */
export async function deleteProject(db: Db, options: { actor: Actor; projectId: string }) {
  const { actor, projectId } = options;
  assertCan(actor, "manage");
  return db.$transaction(async (tx) => {
    const project = await tx.project.findFirst({
      where: { id: projectId, orgId: actor.orgId },
      select: { id: true, name: true },
    });
    if (!project) throw notFound("Project");
    await tx.project.delete({ where: { id: project.id } });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "project.deleted",
      actorId: actor.userId,
      data: { projectId: project.id, name: project.name },
    });
    return project;
  });
}
