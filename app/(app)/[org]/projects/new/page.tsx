import type { Metadata } from "next";
import { ProjectForm } from "@/components/projects/project-form";
import { PageHeader } from "@/components/shell/page-header";
import { requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { githubRepositoryOptions } from "@/lib/github/list-github-repositories";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const githubRepositories = await githubRepositoryOptions(db(), { actor });
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: "Projects", href: `/${org.slug}/projects` },
          { label: "New project" },
        ]}
      />
      <main className="p-4 md:p-6">
        <h1 className="mb-1 font-semibold text-lg">New project</h1>
        <p className="mb-6 text-muted-foreground text-sm">
          Point Trellis at a git repository on this server, or at a GitHub repository.
        </p>
        <ProjectForm
          orgSlug={org.slug}
          readOnly={!can(actor.role, "write")}
          githubRepositories={githubRepositories}
        />
      </main>
    </>
  );
}
