import { KanbanSquare, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Board } from "@/components/board/board";
import type { BoardView } from "@/components/board/board-columns";
import { BoardToolbar, boardHref } from "@/components/board/board-filters";
import { LiveRefresh } from "@/components/execution/live-refresh";
import { AwaitingWork } from "@/components/shell/awaiting-work";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { listBoardFilterOptions } from "@/lib/tasks/list-board-filter-options";
import { BOARD_TASK_LIMIT, boardFiltersSchema, listBoardTasks } from "@/lib/tasks/list-board-tasks";

export const metadata: Metadata = { title: "Board" };

type SearchParams = Record<string, string | string[] | undefined>;

const live = new Set(["QUEUED", "RUNNING", "VERIFYING"]);

export default async function BoardPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { org: orgSlug } = await params;
  const sp = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const view: BoardView = sp.view === "phase" ? "phase" : "status";
  // A hand-edited URL with a bad value shows the unfiltered board rather than an error.
  const parsed = boardFiltersSchema.safeParse({
    project: typeof sp.project === "string" && sp.project ? sp.project : undefined,
    spec: typeof sp.spec === "string" && sp.spec ? sp.spec : undefined,
    agent: typeof sp.agent === "string" && sp.agent ? sp.agent : undefined,
    label: typeof sp.label === "string" && sp.label ? sp.label : undefined,
  });
  const filters = parsed.success ? parsed.data : {};
  const filtered = Object.values(filters).some(Boolean);
  const [{ tasks, specs, truncated }, options] = await Promise.all([
    listBoardTasks(db(), { actor, filters }),
    listBoardFilterOptions(db(), { actor }),
  ]);
  const canWrite = can(actor.role, "write");

  const newTicket = canWrite ? (
    <Button asChild size="sm">
      <Link href={`/${org.slug}/tickets/new`}>
        <Plus aria-hidden="true" /> New ticket
      </Link>
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Board" }]}
        actions={newTicket}
      />
      <LiveRefresh active={tasks.some((t) => live.has(t.status))} />
      <main data-fill-viewport className="flex min-h-0 flex-1 flex-col">
        <h1 className="sr-only">Board</h1>
        {tasks.length === 0 && !filtered ? (
          <div className="p-6">
            <AwaitingWork
              orgSlug={org.slug}
              canWrite={canWrite}
              icon={<KanbanSquare />}
              title="No tasks yet"
              description="Tasks appear here, in columns by status, once a ticket's spec is approved and broken into tasks. File a ticket to start: Trellis drafts its requirements, design and tasks for your review."
            />
          </div>
        ) : (
          <>
            <BoardToolbar
              orgSlug={org.slug}
              view={view}
              filters={filters}
              options={{
                project: options.projects,
                spec: options.specs,
                agent: options.agents,
                label: options.labels,
              }}
              count={tasks.length}
            />
            {truncated ? (
              <p
                role="note"
                className="border-b bg-muted/50 px-4 py-1.5 text-muted-foreground text-xs"
              >
                Showing the first {BOARD_TASK_LIMIT.toLocaleString("en")} tasks in queue order.
                Filter by project or spec to see the rest.
              </p>
            ) : null}
            {tasks.length === 0 ? (
              <div className="p-6">
                <EmptyState
                  icon={<KanbanSquare />}
                  title="No tasks match these filters"
                  description="Try another project, spec, agent or label."
                  action={
                    <Button asChild size="sm" variant="outline">
                      <Link href={boardHref(org.slug, view, {})}>Clear filters</Link>
                    </Button>
                  }
                />
              </div>
            ) : (
              <Board
                orgSlug={org.slug}
                tasks={tasks}
                specs={specs}
                view={view}
                canWrite={canWrite}
              />
            )}
          </>
        )}
      </main>
    </>
  );
}
