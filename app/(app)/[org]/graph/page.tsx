import { List, Network } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { LiveRefresh } from "@/components/execution/live-refresh";
import { GraphFilters } from "@/components/graph/graph-filters";
import { GraphLegend } from "@/components/graph/graph-legend";
import { GraphView } from "@/components/graph/graph-view";
import { AwaitingWork } from "@/components/shell/awaiting-work";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { orNotFound, requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { getTaskGraph } from "@/lib/tasks/get-task-graph";
import { listGraphSpecs } from "@/lib/tasks/list-graph-specs";
import { specGraphLayout } from "@/lib/tasks/spec-graph-layout";

export const metadata: Metadata = { title: "Graph" };

type Query = { spec?: string | string[]; project?: string | string[] };
const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) || null;

export default async function GraphPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Query>;
}) {
  const { org: orgSlug } = await params;
  const query = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const basePath = `/${org.slug}/graph`;
  const specs = await listGraphSpecs(db(), { actor });
  const projectId = one(query.project);
  const specId =
    one(query.spec) ?? specs.find((s) => !projectId || s.project.id === projectId)?.id ?? null;
  const crumbs = [{ label: org.name, href: `/${org.slug}/projects` }, { label: "Graph" }];

  if (!specId) {
    return (
      <>
        <PageHeader
          crumbs={crumbs}
          actions={
            specs.length ? (
              <GraphFilters basePath={basePath} specs={specs} projectId={projectId} specId={null} />
            ) : null
          }
        />
        <main className="p-4 md:p-6">
          <h1 className="sr-only">Graph</h1>
          <AwaitingWork
            orgSlug={org.slug}
            canWrite={can(actor.role, "write")}
            icon={<Network />}
            title={projectId ? "No task graph in this project yet" : "No task graph yet"}
            description="When a ticket's spec is approved, its tasks and their dependencies are drawn here, with the critical path highlighted. File a ticket to start."
            actions={
              // Other projects have graphs: one click back to them.
              specs.length ? (
                <Button asChild size="sm" variant="outline">
                  <Link href={basePath}>Show all projects</Link>
                </Button>
              ) : null
            }
          />
        </main>
      </>
    );
  }

  const graph = await orNotFound(getTaskGraph(db(), { actor, input: { specId } }));
  // Positions depend only on the graph's shape, laid out once (see specGraphLayout).
  const positions = await specGraphLayout(db(), {
    orgId: actor.orgId,
    specId: graph.spec.id,
    nodes: graph.nodes,
  });
  const { criticalPath } = graph;
  return (
    <>
      <PageHeader
        crumbs={[
          ...crumbs.slice(0, 1),
          { label: "Graph", href: basePath },
          { label: graph.spec.title },
        ]}
        actions={
          <GraphFilters
            basePath={basePath}
            specs={specs}
            projectId={projectId}
            specId={graph.spec.id}
          />
        }
      />
      <LiveRefresh active={graph.active} />
      <main data-fill-viewport className="flex min-h-96 flex-1 flex-col">
        <div className="flex flex-wrap items-center gap-x-5 gap-y-1 border-b px-4 py-2 text-xs">
          <h1 className="font-semibold text-sm">
            <Link href={`/${org.slug}/specs/${graph.spec.id}`} className="hover:underline">
              {graph.spec.title}
            </Link>
            <span className="sr-only"> — dependency graph</span>
          </h1>
          <p className="text-muted-foreground" aria-live="polite">
            {graph.done} of {graph.nodes.length} tasks done
          </p>
          {criticalPath.keys.length > 1 ? (
            <p className="text-muted-foreground">
              Critical path{" "}
              <span className="font-mono text-foreground">{criticalPath.keys.join(" → ")}</span> (
              {criticalPath.minutes} min)
            </p>
          ) : null}
          <GraphLegend />
          <Link
            href={`/${org.slug}/specs/${graph.spec.id}?tab=execution`}
            className="ml-auto inline-flex items-center gap-1 text-muted-foreground hover:text-foreground"
          >
            <List className="size-3.5" aria-hidden="true" /> List view
          </Link>
        </div>
        {graph.nodes.length ? (
          <GraphView
            orgSlug={org.slug}
            nodes={graph.nodes}
            criticalPath={criticalPath.keys}
            positions={positions}
            label={`Dependency graph of ${graph.spec.title}`}
            className="flex-1"
          />
        ) : (
          <div className="p-6">
            <EmptyState
              icon={<Network />}
              title="This spec has no tasks yet"
              description="Its tasks and their dependencies are drawn here once its task graph is approved. The spec shows which phase it is in and what waits for review."
              action={
                <Button asChild size="sm" variant="outline">
                  <Link href={`/${org.slug}/specs/${graph.spec.id}`}>Open the spec</Link>
                </Button>
              }
            />
          </div>
        )}
      </main>
    </>
  );
}
