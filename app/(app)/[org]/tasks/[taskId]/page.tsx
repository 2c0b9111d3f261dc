import type { Metadata } from "next";
import { TaskActions } from "@/components/execution/task-actions";
import { PageHeader } from "@/components/shell/page-header";
import { loadTaskView } from "@/components/tasks/load-task-view";
import { TaskDetail } from "@/components/tasks/task-detail";
import { PhaseBadge, StatusBadge } from "@/components/ui/status-badge";
import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Task" };

/** A task's own page (a shared link, a reload, a new tab); a click on the board opens the drawer instead. */
export default async function TaskPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; taskId: string }>;
  searchParams: Promise<{ tab?: string; run?: string }>;
}) {
  const { org: orgSlug, taskId } = await params;
  const { tab, run } = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const view = await loadTaskView(actor, { taskId, tab, run });
  const { task } = view;
  const canWrite = can(actor.role, "write");

  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: task.project.name, href: `/${org.slug}/projects/${task.project.id}` },
          { label: task.spec.title, href: `/${org.slug}/specs/${task.spec.id}?tab=execution` },
          { label: `Task ${task.key}` },
        ]}
      />
      <main className="grid grid-cols-1 gap-5 p-4 md:p-6">
        <header className="flex flex-wrap items-center gap-3">
          <h1 className="font-semibold text-lg">
            <span className="mr-2 font-mono text-base text-muted-foreground">{task.key}</span>
            {task.title}
          </h1>
          <StatusBadge status={task.status} />
          <PhaseBadge phase={task.phase} />
          {canWrite ? (
            <div className="ml-auto">
              <TaskActions taskId={task.id} status={task.status} />
            </div>
          ) : null}
        </header>
        <TaskDetail orgSlug={org.slug} view={view} canWrite={canWrite} variant="page" />
      </main>
    </>
  );
}
