import Link from "next/link";
import type * as React from "react";
import { HeartbeatAge } from "@/components/agents/heartbeat-age";
import { LogView } from "@/components/execution/log-view";
import { TaskActions } from "@/components/execution/task-actions";
import { PhaseBadge, StatusBadge } from "@/components/ui/status-badge";
import type { getTaskDetail } from "@/lib/execution/get-task-detail";

type Detail = Awaited<ReturnType<typeof getTaskDetail>>;

const running = new Set(["RUNNING", "VERIFYING"]);

function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="grid gap-1.5">
      <h3 id={id} className="font-medium text-muted-foreground text-xs uppercase tracking-wide">
        {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * The body of the task drawer, rendered on the server for the task the URL names:
 * actions, dependencies, the agent on it, the last lines of its log and its cost.
 */
export function TaskDrawerDetail({
  detail,
  canWrite,
  renderedAt,
  drawerHref,
  pageHref,
  traceHref,
}: {
  detail: Detail;
  canWrite: boolean;
  /** The server's clock for this render (ages tick on from it). */
  renderedAt: Date;
  /** The same page with the drawer on another task (a dependency). */
  drawerHref: (taskId: string) => string;
  /** A task's full page. */
  pageHref: string;
  /** Where a run's trace downloads (a zip folder). */
  traceHref: (runId: string) => string;
}) {
  const { task, latest, logs } = detail;
  const problem = task.attentionReason ?? latest?.errorMessage;
  return (
    <div className="grid gap-5 text-sm" data-task-id={task.id}>
      <div className="flex flex-wrap items-center gap-2">
        <PhaseBadge phase={task.phase} />
        <span className="text-muted-foreground text-xs">
          {task.spec.title}
          {task.estimateMinutes ? ` · ~${task.estimateMinutes} min` : ""}
        </span>
        {canWrite ? (
          <div className="ml-auto">
            <TaskActions taskId={task.id} status={task.status} />
          </div>
        ) : null}
      </div>
      {problem ? (
        <p
          role="alert"
          className="rounded-md border border-status-attention/40 bg-status-attention/10 px-3 py-2"
        >
          {problem}
        </p>
      ) : null}

      <Section id="task-drawer-deps" title="Depends on">
        {task.dependsOn.length ? (
          <ul className="grid gap-1">
            {task.dependsOn.map(({ dependsOn: dep }) => (
              <li key={dep.id}>
                <Link
                  href={drawerHref(dep.id)}
                  scroll={false}
                  className="flex items-center gap-2 rounded-md px-1 py-0.5 hover:bg-accent"
                >
                  <span className="w-8 shrink-0 font-mono text-muted-foreground text-xs">
                    {dep.key}
                  </span>
                  <span className="min-w-0 flex-1 truncate">{dep.title}</span>
                  <StatusBadge status={dep.status} />
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-muted-foreground">Nothing: it can start first.</p>
        )}
      </Section>

      <Section id="task-drawer-agent" title="Agent">
        {latest ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
            <dt className="text-muted-foreground">Backend</dt>
            <dd>
              {latest.agentKind?.toLowerCase() ?? "—"}
              {latest.model ? <span className="font-mono"> · {latest.model}</span> : null}
            </dd>
            <dt className="text-muted-foreground">Runs on</dt>
            <dd className="truncate font-mono">
              {latest.runner?.name ?? latest.workerId ?? "—"}
              {latest.runner ? null : latest.workerId ? " (built-in runner)" : null}
            </dd>
            <dt className="text-muted-foreground">Attempt</dt>
            <dd>
              {latest.attempt} of {task.maxAttempts}
            </dd>
            {running.has(task.status) ? (
              <>
                <dt className="text-muted-foreground">Heartbeat</dt>
                <dd>
                  <HeartbeatAge
                    since={task.lastHeartbeatAt ?? latest.heartbeatAt}
                    renderedAt={renderedAt}
                    suffix=" ago"
                  />
                </dd>
              </>
            ) : null}
            {latest.branch ? (
              <>
                <dt className="text-muted-foreground">Branch</dt>
                <dd className="truncate font-mono">{latest.branch}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p className="text-muted-foreground">No agent has run this task yet.</p>
        )}
      </Section>

      <Section id="task-drawer-log" title="Last log lines">
        <LogView lines={logs} className="h-56" />
        <Link
          href={`${pageHref}?tab=log`}
          className="text-muted-foreground text-xs hover:underline"
        >
          Full log, diff and verification
        </Link>
      </Section>

      <Section id="task-drawer-trace" title="Trace">
        {latest ? (
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
            <span className="text-muted-foreground">
              {latest._count.traceEvents} {latest._count.traceEvents === 1 ? "step" : "steps"}{" "}
              recorded (model calls, tool calls, commands, verification)
            </span>
            <Link href={`${pageHref}?tab=trace`} className="hover:underline">
              Open trace
            </Link>
            <a href={traceHref(latest.id)} download className="hover:underline">
              Download trace
            </a>
          </p>
        ) : (
          <p className="text-muted-foreground">No trace yet: the task has not run.</p>
        )}
      </Section>

      <Section id="task-drawer-cost" title="Cost">
        <p className="text-xs">
          <span className="font-mono">${Number(task.costUsd).toFixed(4)}</span>
          <span className="text-muted-foreground">
            {" "}
            · {task.inputTokens.toLocaleString("en-US")} tokens in ·{" "}
            {task.outputTokens.toLocaleString("en-US")} out · {task.runs.length}{" "}
            {task.runs.length === 1 ? "run" : "runs"}
          </span>
        </p>
      </Section>
    </div>
  );
}
