import { FolderGit2, GitBranch, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { listProjects } from "@/lib/projects/list-projects";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const projects = await listProjects(db(), { actor });
  const canWrite = can(actor.role, "write");
  const newProject = canWrite ? (
    <Button asChild size="sm">
      <Link href={`/${org.slug}/projects/new`}>
        <Plus aria-hidden="true" /> New project
      </Link>
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Projects" }]}
        actions={newProject}
      />
      <main className="p-4 md:p-6">
        <h1 className="sr-only">Projects</h1>
        {projects.length === 0 ? (
          <EmptyState
            icon={<FolderGit2 />}
            title="No projects yet"
            description={
              canWrite
                ? "Connect a repository or point at a local one: a project is where tickets become specs, tasks and pull requests."
                : "Nobody has created a project in this organization yet."
            }
            action={newProject}
          />
        ) : (
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
            {projects.map((p) => (
              <li key={p.id}>
                <Link
                  href={`/${org.slug}/projects/${p.id}`}
                  className="flex h-full flex-col gap-2 rounded-lg border bg-card p-4 transition-colors hover:border-foreground/20"
                >
                  <div className="flex items-center gap-2">
                    <FolderGit2 className="size-4 text-muted-foreground" aria-hidden="true" />
                    <span className="truncate font-medium">{p.name}</span>
                    <span className="ml-auto font-mono text-muted-foreground text-xs">
                      {p.id.slice(0, 12)}
                    </span>
                  </div>
                  {p.description ? (
                    <p className="line-clamp-2 text-muted-foreground text-sm">{p.description}</p>
                  ) : null}
                  <div className="mt-auto flex items-center gap-3 text-dense text-muted-foreground">
                    <span className="truncate font-mono text-xs">
                      {p.githubRepoFullName ? `github.com/${p.githubRepoFullName}` : p.localPath}
                    </span>
                    <span className="ml-auto flex shrink-0 items-center gap-1 text-xs">
                      <GitBranch className="size-3" aria-hidden="true" /> {p.defaultBranch}
                    </span>
                    <span className="shrink-0 text-xs">{p._count.tickets} open</span>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
