import type { Metadata } from "next";
import { ProjectForm } from "@/components/projects/project-form";
import { PageHeader } from "@/components/shell/page-header";
import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: "Projects", href: `/${org.slug}/projects` },
          { label: "New project" },
        ]}
      />
      <main className="p-6">
        <h1 className="mb-1 font-semibold text-lg">New project</h1>
        <p className="mb-6 text-muted-foreground text-sm">
          Point Trellis at a git repository on this server.
        </p>
        <ProjectForm orgSlug={org.slug} readOnly={!can(actor.role, "write")} />
      </main>
    </>
  );
}
