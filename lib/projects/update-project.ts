import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { inspectRepository } from "./inspect-repository";
import { type UpdateProjectInput, updateProjectSchema } from "./project-schema";
import { githubRepositoryFields, localRepositoryFields } from "./repository-fields";
import { uniqueProjectSlug } from "./unique-project-slug";

// The fields whose changes the activity timeline reports (lib/activity/describe-activity.ts words them).
const trackedFields = [
  "name",
  "description",
  "repoKind",
  "localPath",
  "githubRepoFullName",
  "githubLabel",
  "setupCommand",
  "testCommand",
  "lintCommand",
  "agentCommand",
  "runnerLabels",
  "approvalRequirements",
  "approvalDesign",
  "approvalTasks",
] as const;
const trackedSelect = Object.fromEntries(trackedFields.map((k) => [k, true])) as Record<
  (typeof trackedFields)[number],
  true
>;

function sameValue(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.join("\n") === b.join("\n") : a === b;
}

/** Renames a project or changes its repository path, commands or approval modes. */
export async function updateProject(db: Db, options: { actor: Actor; input: UpdateProjectInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { projectId, localPath, repoKind, githubRepository, ...fields } = updateProjectSchema.parse(
    options.input,
  );
  const existing = await db.project.findFirst({
    where: { id: projectId, orgId: actor.orgId },
    select: { id: true, ...trackedSelect },
  });
  if (!existing) throw notFound("Project");
  const pinned = (fields.runnerLabels ?? existing.runnerLabels).length > 0;
  const repo =
    repoKind === "GITHUB"
      ? githubRepository !== existing.githubRepoFullName || existing.repoKind !== "GITHUB"
        ? await githubRepositoryFields(db, { orgId: actor.orgId, fullName: githubRepository ?? "" })
        : null
      : localPath && (localPath !== existing.localPath || existing.repoKind !== "LOCAL")
        ? pinned
          ? // Pinned to runners: a path or URL they clone; the server never opens it.
            {
              repoKind: "LOCAL" as const,
              localPath,
              githubRepoFullName: null,
              githubInstallationId: null,
            }
          : localRepositoryFields(await inspectRepository(localPath))
        : null;
  return db.$transaction(async (tx) => {
    const slug =
      fields.name !== undefined && fields.name !== existing.name
        ? await uniqueProjectSlug(tx, {
            orgId: actor.orgId,
            name: fields.name,
            exceptId: projectId,
          })
        : undefined;
    const project = await tx.project.update({
      where: { id: projectId },
      data: {
        ...fields,
        ...(slug ? { slug } : {}),
        ...repo,
      },
    });
    // Only what actually changed: a settings form resubmits every field.
    const changed = trackedFields.filter((k) => !sameValue(existing[k], project[k]));
    if (changed.length > 0) {
      await recordActivity(tx, {
        orgId: actor.orgId,
        type: "project.updated",
        actorId: actor.userId,
        projectId,
        data: {
          changed,
          cleared: changed.filter((k) => project[k] === null || project[k] === ""),
          added: changed.filter((k) => existing[k] === null || existing[k] === ""),
        },
      });
    }
    return project;
  });
}
