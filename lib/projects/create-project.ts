import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { assertProjectRoom } from "@/lib/billing/assert-project-room";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { inspectRepository } from "./inspect-repository";
import { type CreateProjectInput, createProjectSchema } from "./project-schema";
import { githubRepositoryFields, localRepositoryFields } from "./repository-fields";
import { uniqueProjectSlug } from "./unique-project-slug";

/**
 * Creates a project on a local git repository (validated, default branch detected), on a GitHub
 * repository that one of the organization's installations grants, or, when pinned to runner
 * labels, on a repository path or URL that those runners clone (the server never opens it).
 */
export async function createProject(db: Db, options: { actor: Actor; input: CreateProjectInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { githubRepository, ...input } = createProjectSchema.parse(options.input);
  const runnerLabels = input.runnerLabels ?? [];
  const repo =
    input.repoKind === "GITHUB"
      ? await githubRepositoryFields(db, { orgId: actor.orgId, fullName: githubRepository ?? "" })
      : localRepositoryFields(
          runnerLabels.length > 0
            ? { root: input.localPath ?? "", defaultBranch: "main" }
            : await inspectRepository(input.localPath ?? ""),
        );
  return db.$transaction(async (tx) => {
    await assertProjectRoom(tx, { orgId: actor.orgId });
    const slug = await uniqueProjectSlug(tx, { orgId: actor.orgId, name: input.name });
    const project = await tx.project.create({
      data: {
        orgId: actor.orgId,
        slug,
        name: input.name,
        description: input.description,
        ...repo,
        githubLabel: input.githubLabel,
        setupCommand: input.setupCommand,
        testCommand: input.testCommand,
        lintCommand: input.lintCommand,
        agentCommand: input.agentCommand,
        runnerLabels,
        approvalRequirements: input.approvalRequirements,
        approvalDesign: input.approvalDesign,
        approvalTasks: input.approvalTasks,
      },
    });
    await recordActivity(tx, {
      orgId: actor.orgId,
      type: "project.created",
      actorId: actor.userId,
      projectId: project.id,
      data: {
        name: project.name,
        localPath: project.localPath,
        ...(project.githubRepoFullName ? { githubRepository: project.githubRepoFullName } : {}),
      },
    });
    return project;
  });
}
