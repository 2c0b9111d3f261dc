import { Bot } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { HeartbeatAge } from "@/components/agents/heartbeat-age";
import { RunnersTable } from "@/components/agents/runners-table";
import { LiveRefresh } from "@/components/execution/live-refresh";
import { LogView } from "@/components/execution/log-view";
import { AwaitingWork } from "@/components/shell/awaiting-work";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import { listAgentActivity } from "@/lib/agents/list-agent-activity";
import { requireOrgContext } from "@/lib/auth/org-context";
import { planName } from "@/lib/billing/plans";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { can } from "@/lib/orgs/roles";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const renderedAt = new Date();
  const activity = await listAgentActivity(db(), { actor, logLines: 12, now: renderedAt });

  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Agents" }]}
      />
      {/* Always live: agents start and stop on their own, and heartbeats move. */}
      <LiveRefresh active />
      <main className="grid grid-cols-1 gap-8 p-4 md:p-6">
        <h1 className="sr-only">Agents</h1>
        <section aria-labelledby="runners-heading" className="grid gap-2">
          <h2 id="runners-heading" className="font-medium text-sm">
            Runners
          </h2>
          {/* Two different caps, said apart: the plan's for this organization, the workers' for all. */}
          <p className="text-muted-foreground text-sm" data-testid="agent-limit">
            Running now: {activity.running.length} of {activity.limit.agents} allowed at once by the{" "}
            {planName(activity.limit.plan)} plan. Each worker of the built-in runner runs up to{" "}
            {env().AGENT_CONCURRENCY} {env().AGENT_CONCURRENCY === 1 ? "task" : "tasks"} at once, of
            all organizations.
          </p>
          <RunnersTable
            runners={activity.runners}
            workers={activity.workers}
            renderedAt={renderedAt}
          />
        </section>

        <section aria-labelledby="running-heading" className="grid gap-2">
          <h2 id="running-heading" className="font-medium text-sm">
            Running agents{" "}
            <span className="font-normal text-muted-foreground">({activity.running.length})</span>
          </h2>
          {activity.running.length === 0 ? (
            <AwaitingWork
              orgSlug={org.slug}
              canWrite={can(actor.role, "write")}
              icon={<Bot />}
              headingLevel={3}
              title="No agents running"
              description="Agents start when a spec's task graph is approved and its tasks are queued. They show up here with their heartbeat and a live tail of their log."
              actions={
                <Button asChild size="sm" variant="outline">
                  <Link href={`/${org.slug}/board`}>Open the board</Link>
                </Button>
              }
            />
          ) : (
            <ul className="grid gap-3 xl:grid-cols-2">
              {activity.running.map((agent) => (
                <li
                  key={agent.taskId}
                  data-task-id={agent.taskId}
                  className="grid gap-2 rounded-lg border bg-card p-3"
                >
                  <div className="flex flex-wrap items-center gap-2">
                    <Link
                      href={`/${org.slug}/tasks/${agent.taskId}`}
                      className="min-w-0 font-medium text-dense hover:underline"
                    >
                      <span className="mr-1.5 font-mono text-muted-foreground text-xs">
                        {agent.key}
                      </span>
                      {agent.title}
                    </Link>
                    <StatusBadge status={agent.status} className="ml-auto" />
                  </div>
                  <dl className="flex flex-wrap gap-x-5 gap-y-1 text-xs">
                    <div className="flex gap-1">
                      <dt className="text-muted-foreground">Spec</dt>
                      <dd>
                        <Link
                          href={`/${org.slug}/specs/${agent.spec.id}?tab=execution`}
                          className="hover:underline"
                        >
                          {agent.spec.title}
                        </Link>
                      </dd>
                    </div>
                    <div className="flex gap-1">
                      <dt className="text-muted-foreground">Backend</dt>
                      <dd>
                        {agent.run?.agentKind?.toLowerCase() ?? "—"}
                        {agent.run?.model ? (
                          <span className="font-mono"> · {agent.run.model}</span>
                        ) : null}
                      </dd>
                    </div>
                    <div className="flex gap-1">
                      <dt className="text-muted-foreground">On</dt>
                      <dd className="font-mono">{agent.runner?.name ?? agent.worker ?? "—"}</dd>
                    </div>
                    <div className="flex gap-1">
                      <dt className="text-muted-foreground">Running for</dt>
                      <dd>
                        <HeartbeatAge
                          since={agent.startedAt}
                          renderedAt={renderedAt}
                          warn={false}
                        />
                      </dd>
                    </div>
                    <div className="flex gap-1">
                      <dt className="text-muted-foreground">Heartbeat</dt>
                      <dd>
                        <HeartbeatAge
                          since={agent.lastHeartbeatAt}
                          renderedAt={renderedAt}
                          suffix=" ago"
                        />
                      </dd>
                    </div>
                  </dl>
                  <LogView
                    lines={agent.log}
                    label={`Log of task ${agent.key}`}
                    className="h-auto max-h-48 p-2"
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </>
  );
}
