import {
  Activity,
  Building2,
  FileText,
  FolderGit2,
  ListChecks,
  type LucideIcon,
  Plus,
  Ticket,
  Users,
} from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import {
  type ActivityFamily,
  activityDayLabel,
  activityFamilies,
  activityFamily,
  describeActivity,
} from "@/lib/activity/describe-activity";
import { listActivity } from "@/lib/activity/list-activity";
import { requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { can } from "@/lib/orgs/roles";
import { cn } from "@/lib/utils/cn";

export const metadata: Metadata = { title: "Activity" };

const familyMeta: Record<ActivityFamily, { label: string; icon: LucideIcon }> = {
  org: { label: "Organization", icon: Building2 },
  member: { label: "Members", icon: Users },
  project: { label: "Projects", icon: FolderGit2 },
  ticket: { label: "Tickets", icon: Ticket },
  spec: { label: "Specs", icon: FileText },
  task: { label: "Tasks", icon: ListChecks },
};

const timeFormat = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

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
  // Only known families reach the query, so a hand-edited URL cannot fail validation.
  const family = activityFamilies.find((f) => f === sp.type);
  const cursor = typeof sp.cursor === "string" && sp.cursor ? sp.cursor : undefined;
  const { items, nextCursor } = await listActivity(db(), {
    actor,
    input: { type: family, cursor },
  });

  const base = `/${org.slug}/activity`;
  const href = (next: { type?: string; cursor?: string }) => {
    const search = new URLSearchParams();
    if (next.type) search.set("type", next.type);
    if (next.cursor) search.set("cursor", next.cursor);
    const qs = search.toString();
    return qs ? `${base}?${qs}` : base;
  };

  const now = new Date();
  const days: { label: string; items: typeof items }[] = [];
  for (const item of items) {
    const label = activityDayLabel(item.createdAt, now);
    const last = days.at(-1);
    if (last && last.label === label) last.items.push(item);
    else days.push({ label, items: [item] });
  }

  const newTicket = can(actor.role, "write") ? (
    <Button asChild size="sm">
      <Link href={`/${org.slug}/tickets/new`}>
        <Plus aria-hidden="true" /> New ticket
      </Link>
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Activity" }]}
      />
      <main className="grid max-w-4xl gap-5 p-6">
        <h1 className="sr-only">Activity</h1>
        <nav aria-label="Filter by event type" className="flex flex-wrap gap-1">
          {[undefined, ...activityFamilies].map((f) => (
            <Link
              key={f ?? "all"}
              href={href({ type: f })}
              aria-current={family === f ? "page" : undefined}
              className={cn(
                "rounded-full border px-2.5 py-1 text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring",
                family === f
                  ? "border-foreground/30 bg-accent font-medium"
                  : "text-muted-foreground hover:text-foreground",
              )}
            >
              {f ? familyMeta[f].label : "All"}
            </Link>
          ))}
        </nav>

        {items.length === 0 ? (
          cursor ? (
            <EmptyState
              icon={<Activity />}
              title="No older activity"
              description="You have reached the beginning of this organization's history."
              action={
                <Button asChild size="sm" variant="outline">
                  <Link href={href({ type: family })}>Back to the newest</Link>
                </Button>
              }
            />
          ) : family ? (
            <EmptyState
              icon={<Activity />}
              title={`No ${familyMeta[family].label.toLowerCase()} activity yet`}
              description="Events of this kind appear here as they happen."
              action={
                <Button asChild size="sm" variant="outline">
                  <Link href={href({})}>Show all activity</Link>
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={<Activity />}
              title="No activity yet"
              description="Everything that happens in this organization is recorded here: create a project, file a ticket or invite a teammate from Settings to get started."
              action={newTicket}
            />
          )
        ) : (
          <div className="grid gap-6">
            {days.map((day, i) => (
              <section key={day.label} aria-labelledby={`activity-day-${i}`} className="grid gap-1">
                <h2
                  id={`activity-day-${i}`}
                  className="font-medium text-muted-foreground text-xs uppercase tracking-wide"
                >
                  {day.label}
                </h2>
                <ol className="grid">
                  {day.items.map((item) => {
                    const fam = activityFamily(item.type);
                    const Icon = fam ? familyMeta[fam].icon : Activity;
                    const sentence = describeActivity(item);
                    const target = item.ticket
                      ? `/${org.slug}/tickets/${item.ticket.id}`
                      : item.project
                        ? `/${org.slug}/projects/${item.project.id}`
                        : null;
                    return (
                      <li
                        key={item.id}
                        className="flex items-center gap-3 rounded-md px-1 py-1.5 text-dense hover:bg-muted/50"
                      >
                        <span
                          aria-hidden="true"
                          className="flex size-6 shrink-0 items-center justify-center rounded-full border bg-muted text-muted-foreground"
                        >
                          <Icon className="size-3.5" />
                        </span>
                        {target ? (
                          <Link
                            href={target}
                            className="min-w-0 flex-1 truncate rounded-sm outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
                          >
                            {sentence}
                          </Link>
                        ) : (
                          <span className="min-w-0 flex-1 truncate">{sentence}</span>
                        )}
                        <time
                          dateTime={item.createdAt.toISOString()}
                          title={fullFormat.format(item.createdAt)}
                          className="shrink-0 font-mono text-muted-foreground text-xs tabular-nums"
                        >
                          {timeFormat.format(item.createdAt)}
                        </time>
                      </li>
                    );
                  })}
                </ol>
              </section>
            ))}
          </div>
        )}

        {items.length > 0 && (cursor || nextCursor) ? (
          <nav aria-label="Pages" className="flex items-center gap-2">
            {cursor ? (
              <Button asChild variant="outline" size="sm">
                <Link href={href({ type: family })}>Newest</Link>
              </Button>
            ) : null}
            {nextCursor ? (
              <Button asChild variant="outline" size="sm">
                <Link href={href({ type: family, cursor: nextCursor })}>Older</Link>
              </Button>
            ) : null}
          </nav>
        ) : null}
      </main>
    </>
  );
}
