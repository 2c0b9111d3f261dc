import { GitBranch, Plus, Settings } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { type TicketListParams, TicketListView } from "@/components/tickets/ticket-list-view";
import { Button } from "@/components/ui/button";
import { ListSkeleton } from "@/components/ui/list-skeleton";
import { StatusBadge } from "@/components/ui/status-badge";
import { orNotFound, requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { getProject } from "@/lib/projects/get-project";
import { listRecentSpecs } from "@/lib/specs/list-recent-specs";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; projectId: string }>;
  searchParams: Promise<TicketListParams>;
}) {
  const { org: orgSlug, projectId } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const project = await orNotFound(getProject(db(), { actor, projectId }));
  const specs =
    (await listRecentSpecs(db(), { actor, projectIds: [project.id], perProject: 200 }))[project.id]
      ?.specs ?? [];
  const base = `/${org.slug}/projects/${project.id}`;
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: "Projects", href: `/${org.slug}/projects` },
          { label: project.name },
        ]}
        actions={
          <>
            <Button asChild variant="ghost" size="sm">
              <Link href={`${base}/settings`}>
                <Settings aria-hidden="true" /> Settings
              </Link>
            </Button>
            {can(actor.role, "write") ? (
              <Button asChild size="sm">
                <Link href={`/${org.slug}/tickets/new?project=${project.id}`}>
                  <Plus aria-hidden="true" /> New ticket
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      <main className="grid grid-cols-1 gap-6 p-4 md:p-6">
        <div className="grid gap-1">
          <h1 className="font-semibold text-lg">{project.name}</h1>
          <p className="flex flex-wrap items-center gap-3 text-muted-foreground text-sm">
            <span className="font-mono text-xs">
              {project.githubRepoFullName
                ? `github.com/${project.githubRepoFullName}`
                : project.localPath}
            </span>
            <span className="flex items-center gap-1 text-xs">
              <GitBranch className="size-3" aria-hidden="true" /> {project.defaultBranch}
            </span>
            <span className="font-mono text-xs">{project.id}</span>
          </p>
          {project.description ? <p className="max-w-2xl text-sm">{project.description}</p> : null}
        </div>
        {specs.length ? (
          <section id="specs" aria-labelledby="project-specs" className="grid gap-3">
            <h2 id="project-specs" className="font-medium text-sm">
              Specs
            </h2>
            <ul className="divide-y rounded-lg border bg-card">
              {specs.map((spec) => (
                <li key={spec.id}>
                  <Link
                    href={`/${org.slug}/specs/${spec.id}`}
                    className="flex items-center gap-3 px-3 py-2 text-dense hover:bg-accent/50"
                  >
                    <span className="min-w-0 flex-1 truncate font-medium">{spec.title}</span>
                    <StatusBadge status={spec.state} className="shrink-0" />
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="project-tickets" className="grid gap-3">
          <h2 id="project-tickets" className="font-medium text-sm">
            Tickets
          </h2>
          <Suspense fallback={<ListSkeleton label="Loading tickets" />}>
            <TicketListView
              actor={actor}
              orgSlug={org.slug}
              baseHref={base}
              projectId={project.id}
              params={await searchParams}
            />
          </Suspense>
        </section>
      </main>
    </>
  );
}
