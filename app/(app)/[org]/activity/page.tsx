import { Activity } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityTimeline } from "@/components/activity/activity-timeline";
import { LiveRefresh } from "@/components/execution/live-refresh";
import { NativeSelect } from "@/components/forms/native-select";
import { AwaitingWork } from "@/components/shell/awaiting-work";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { IntentLink } from "@/components/ui/intent-link";
import { type ActivityFamily, activityFamilies } from "@/lib/activity/describe-activity";
import { listActivity } from "@/lib/activity/list-activity";
import { timelineEntry } from "@/lib/activity/timeline-entry";
import { requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { listProjects } from "@/lib/projects/list-projects";
import { cn } from "@/lib/utils/cn";

export const metadata: Metadata = { title: "Activity" };

const familyLabels: Record<ActivityFamily, string> = {
  org: "Organization",
  member: "Members",
  project: "Projects",
  ticket: "Tickets",
  spec: "Specs",
  task: "Tasks",
};

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { org: orgSlug } = await params;
  const sp = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const projects = await listProjects(db(), { actor });
  // Only known families and this organization's projects reach the query, so a hand-edited
  // URL cannot fail validation.
  const family = activityFamilies.find((f) => f === sp.type);
  const project = projects.find((p) => p.id === sp.project);
  const { items, nextCursor } = await listActivity(db(), {
    actor,
    input: { type: family, projectId: project?.id },
  });
  const now = new Date();
  const first = {
    entries: items.map((item) => timelineEntry(org.slug, item, now)),
    cursor: nextCursor,
  };

  const base = `/${org.slug}/activity`;
  const href = (next: { type?: string; project?: string }) => {
    const search = new URLSearchParams();
    if (next.type) search.set("type", next.type);
    if (next.project) search.set("project", next.project);
    const qs = search.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const filtered = Boolean(family || project);

  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Activity" }]}
      />
      {/* New events appear on top while the page is open. */}
      <LiveRefresh active />
      <main className="grid grid-cols-1 max-w-4xl gap-5 p-4 md:p-6">
        <h1 className="sr-only">Activity</h1>
        <div className="flex flex-wrap items-center gap-3">
          <nav aria-label="Filter by event type" className="flex flex-wrap gap-1">
            {[undefined, ...activityFamilies].map((f) => (
              <IntentLink
                key={f ?? "all"}
                href={href({ type: f, project: project?.id })}
                aria-current={family === f ? "page" : undefined}
                className={cn(
                  "rounded-full border px-2.5 py-1 text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  family === f
                    ? "border-foreground/30 bg-accent font-medium"
                    : "text-muted-foreground hover:text-foreground",
                )}
              >
                {f ? familyLabels[f] : "All"}
              </IntentLink>
            ))}
          </nav>
          {projects.length > 0 ? (
            <form
              action={base}
              aria-label="Filter by project"
              className="ml-auto flex items-center gap-2"
            >
              {family ? <input type="hidden" name="type" value={family} /> : null}
              <label htmlFor="activity-project" className="text-muted-foreground text-xs">
                Project
              </label>
              <NativeSelect
                id="activity-project"
                name="project"
                defaultValue={project?.id ?? ""}
                className="h-8 w-44 text-xs"
              >
                <option value="">All projects</option>
                {projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </NativeSelect>
              <Button type="submit" size="sm" variant="outline" className="h-8">
                Apply
              </Button>
            </form>
          ) : null}
        </div>

        {items.length === 0 ? (
          filtered ? (
            <EmptyState
              icon={<Activity />}
              title={
                family
                  ? `No ${familyLabels[family].toLowerCase()} activity${project ? ` in ${project.name}` : ""} yet`
                  : `No activity in ${project?.name ?? "this project"} yet`
              }
              description="Events of this kind appear here as they happen."
              action={
                <Button asChild size="sm" variant="outline">
                  <Link href={href({})}>Show all activity</Link>
                </Button>
              }
            />
          ) : (
            <AwaitingWork
              orgSlug={org.slug}
              canWrite={can(actor.role, "write")}
              icon={<Activity />}
              title="No activity yet"
              description="Everything that happens in this organization is recorded here: create a project, file a ticket or invite a teammate from Settings to get started."
            />
          )
        ) : (
          <ActivityTimeline
            // New filters start a new list (and a new scroll position).
            key={`${family ?? ""}:${project?.id ?? ""}`}
            orgSlug={org.slug}
            first={first}
            type={family}
            project={project?.id}
          />
        )}
      </main>
    </>
  );
}
