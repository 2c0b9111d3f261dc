import type { Metadata } from "next";
import { DeleteProjectButton } from "@/components/projects/delete-project-button";
import { ProjectForm } from "@/components/projects/project-form";
import { PageHeader } from "@/components/shell/page-header";
import { orNotFound, requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { githubRepositoryOptions } from "@/lib/github/list-github-repositories";
import { can } from "@/lib/orgs/roles";
import { getProject } from "@/lib/projects/get-project";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({
  params,
}: {
  params: Promise<{ org: string; projectId: string }>;
}) {
  const { org: orgSlug, projectId } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const project = await orNotFound(getProject(db(), { actor, projectId }));
  const githubRepositories = await githubRepositoryOptions(db(), { actor });
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: project.name, href: `/${org.slug}/projects/${project.id}` },
          { label: "Settings" },
        ]}
      />
      <main className="grid grid-cols-1 gap-10 p-4 md:p-6">
        <section className="grid gap-4">
          <h1 className="font-semibold text-lg">Project settings</h1>
          <ProjectForm
            orgSlug={org.slug}
            projectId={project.id}
            readOnly={!can(actor.role, "write")}
            githubRepositories={githubRepositories}
            initial={{
              name: project.name,
              description: project.description ?? "",
              repoKind: project.repoKind,
              localPath: project.localPath ?? "",
              githubRepository: project.githubRepoFullName ?? "",
              githubLabel: project.githubLabel,
              setupCommand: project.setupCommand ?? "",
              testCommand: project.testCommand ?? "",
              lintCommand: project.lintCommand ?? "",
              agentCommand: project.agentCommand ?? "",
              runnerLabels: project.runnerLabels.join(", "),
              approvalRequirements: project.approvalRequirements,
              approvalDesign: project.approvalDesign,
              approvalTasks: project.approvalTasks,
            }}
          />
        </section>
        {can(actor.role, "manage") ? (
          <section
            aria-labelledby="danger"
            className="grid max-w-2xl gap-3 rounded-lg border border-destructive/40 p-4"
          >
            <h2 id="danger" className="font-medium text-sm">
              Delete this project
            </h2>
            <p className="text-muted-foreground text-sm">
              Admins and owners can delete a project and everything filed in it.
            </p>
            <div>
              <DeleteProjectButton orgSlug={org.slug} projectId={project.id} name={project.name} />
            </div>
          </section>
        ) : null}
      </main>
    </>
  );
}
