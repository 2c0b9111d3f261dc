import { FolderGit2 } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { TicketForm } from "@/components/tickets/ticket-form";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { listProjects } from "@/lib/projects/list-projects";

export const metadata: Metadata = { title: "New ticket" };

export default async function NewTicketPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ project?: string }>;
}) {
  const { org: orgSlug } = await params;
  const { project } = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const projects = await listProjects(db(), { actor });
  const preselected =
    projects.find((p) => p.id === project)?.id ??
    (projects.length === 1 ? projects[0]?.id : undefined);
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: "Tickets", href: `/${org.slug}/tickets` },
          { label: "New ticket" },
        ]}
      />
      <main className="p-4 md:p-6">
        <h1 className="mb-6 font-semibold text-lg">New ticket</h1>
        {!can(actor.role, "write") ? (
          <p className="text-muted-foreground text-sm">
            Your role (viewer) can read tickets but not file them.
          </p>
        ) : projects.length === 0 ? (
          <EmptyState
            icon={<FolderGit2 />}
            title="Create a project first"
            description="A ticket belongs to a project: point Trellis at a local git repository."
            action={
              <Button asChild size="sm">
                <Link href={`/${org.slug}/projects/new`}>New project</Link>
              </Button>
            }
          />
        ) : (
          <TicketForm
            orgSlug={org.slug}
            projects={projects.map((p) => ({ id: p.id, name: p.name }))}
            initial={{
              projectId: preselected ?? "",
              title: "",
              description: "",
              priority: "MEDIUM",
              type: "FEATURE",
              labels: "",
            }}
          />
        )}
      </main>
    </>
  );
}
