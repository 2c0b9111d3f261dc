import Link from "next/link";
import type * as React from "react";
import { HeartbeatAge } from "@/components/agents/heartbeat-age";
import { DiffView } from "@/components/execution/diff-view";
import { GuardianInterventions } from "@/components/execution/guardian-interventions";
import { LiveRefresh } from "@/components/execution/live-refresh";
import { LogView } from "@/components/execution/log-view";
import { TaskActions } from "@/components/execution/task-actions";
import { TraceRunPicker } from "@/components/execution/trace-run-picker";
import { TraceView } from "@/components/execution/trace-view";
import { PhaseBadge, StatusBadge } from "@/components/ui/status-badge";
import { cn } from "@/lib/utils/cn";
import { type TaskTab, type TaskView, taskTabs } from "./load-task-view";
import { TaskTabs } from "./task-tabs";

const running = new Set(["RUNNING", "VERIFYING"]);
/** The states a task's page or drawer follows live (its log streams while it runs). */
const inProgress = new Set(["QUEUED", "RUNNING", "VERIFYING"]);

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 truncate">{children}</dd>
    </>
  );
}

/**
 * A task's detail, the same on its page and in the drawer: what it is, who works on it, what it
 * waits for, and the tabs Log, Diff, Verification, Cost and Trace: on the page links (the URL's
 * `tab`), in the drawer switched in place (see TaskTabs). In the drawer the links to other
 * tasks replace the entry, so Back and Esc close the drawer rather than step through tasks.
 * Either way it follows the task live while it is queued or running.
 */
export function TaskDetail({
  orgSlug,
  view,
  canWrite,
  variant,
}: {
  orgSlug: string;
  view: TaskView;
  canWrite: boolean;
  variant: "page" | "drawer";
}) {
  const { task, latest, logs, tab, traceRun, trace, renderedAt } = view;
  const drawer = variant === "drawer";
  const taskHref = (id: string, query = "") => `/${orgSlug}/tasks/${id}${query}`;
  const nav = drawer ? { replace: true, scroll: false } : {};
  const problem = task.attentionReason ?? latest?.errorMessage;
  // Verification is the project's test and lint commands; without either, nothing checks the work.
  const verifies = Boolean(task.project.testCommand || task.project.lintCommand);
  const settingsHref = `/${orgSlug}/projects/${task.project.id}/settings`;
  const unverified = task.status === "DONE" && !latest?.verifications.length;
  const panels: Record<TaskTab, React.ReactNode> = {
    log: <LogView lines={logs} className={drawer ? "h-96" : undefined} />,
    diff: <DiffView diff={latest?.diff ?? null} />,
    verification: latest?.verifications.length ? (
      <ul className="grid gap-3">
        {latest.verifications.map((v) => (
          <li key={v.id} className="rounded-lg border">
            <div className="flex flex-wrap items-center gap-2 border-b px-3 py-1.5">
              <span className="font-medium">{v.kind}</span>
              <code className="font-mono text-xs">{v.command}</code>
              <span className="ml-auto text-xs">
                exit {v.exitCode ?? "—"} · {(v.durationMs / 1000).toFixed(1)} s
              </span>
              <StatusBadge
                status={v.passed ? "DONE" : "FAILED"}
                label={v.passed ? "passed" : "failed"}
              />
            </div>
            <pre className="max-h-80 overflow-auto whitespace-pre-wrap p-3 font-mono text-xs">
              {v.output || "(no output)"}
            </pre>
          </li>
        ))}
      </ul>
    ) : verifies ? (
      <p className="text-muted-foreground">
        {task.status === "DONE"
          ? "No verification ran for this task (it was marked done without one)."
          : "No verification has run yet (the project's setup, test and lint commands run after the agent)."}
      </p>
    ) : (
      <p className="text-muted-foreground">
        No verification configured for this project: its work is not tested. Set test or lint
        commands in the{" "}
        <Link href={settingsHref} className="underline underline-offset-2">
          project's settings
        </Link>
        .
      </p>
    ),
    trace: (
      <>
        {traceRun && !drawer ? (
          <TraceRunPicker
            runs={task.runs}
            selectedId={traceRun.id}
            hrefOf={(runId) => taskHref(task.id, `?tab=trace&run=${runId}`)}
          />
        ) : null}
        <TraceView
          events={trace?.events ?? []}
          runStartedAt={trace?.run.startedAt ?? null}
          runLabel={
            traceRun
              ? `Run ${task.runs.length - task.runs.indexOf(traceRun)} of ${task.runs.length} · attempt ${traceRun.attempt}`
              : undefined
          }
          downloadHref={traceRun ? `/api/orgs/${orgSlug}/runs/${traceRun.id}/trace` : null}
        />
        {drawer && task.runs.length > 1 ? (
          // A full load: the drawer's page cannot change its query (see TaskTabs).
          <a href={taskHref(task.id, "?tab=trace")} className="text-xs hover:underline">
            Earlier runs' traces on the task's page
          </a>
        ) : null}
      </>
    ),
    cost: (
      <table className="w-full max-w-xl">
        <caption className="mb-2 text-left text-xs">
          <span className="font-mono">${Number(task.costUsd).toFixed(4)}</span>
          <span className="text-muted-foreground">
            {" "}
            in all · {task.inputTokens.toLocaleString("en-US")} tokens in ·{" "}
            {task.outputTokens.toLocaleString("en-US")} out
          </span>
        </caption>
        <thead>
          <tr className="text-left text-muted-foreground text-xs">
            <th scope="col" className="py-1">
              Run
            </th>
            <th scope="col">Agent</th>
            <th scope="col">Tokens in / out</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {task.runs.map((r) => (
            <tr key={r.id} className="border-t">
              <td className="py-1">#{r.attempt}</td>
              <td>{r.agentKind?.toLowerCase() ?? "—"}</td>
              <td className="font-mono text-xs">
                {r.inputTokens.toLocaleString("en-US")} / {r.outputTokens.toLocaleString("en-US")}
              </td>
              <td className="font-mono text-xs">${Number(r.costUsd).toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ),
  };
  return (
    <div className="grid gap-5 text-sm" data-task-id={task.id}>
      <LiveRefresh active={inProgress.has(task.status)} logs={{ taskId: task.id }} />
      {drawer ? (
        <div className="flex flex-wrap items-center gap-2">
          <PhaseBadge phase={task.phase} />
          {canWrite ? (
            <div className="ml-auto">
              <TaskActions taskId={task.id} status={task.status} />
            </div>
          ) : null}
        </div>
      ) : null}
      {task.description ? (
        <p className="max-w-3xl text-muted-foreground">{task.description}</p>
      ) : null}
      {unverified ? (
        <p className="flex items-center gap-2 text-muted-foreground text-xs">
          <span className="rounded border border-dashed px-1.5 py-0.5">not verified</span>
          {verifies
            ? "Done without a verification run (e.g. marked done by hand)."
            : "The project has no test or lint command, so nothing checked this work."}
        </p>
      ) : null}
      {problem ? (
        <p
          role="alert"
          className="rounded-md border border-status-attention/40 bg-status-attention/10 px-3 py-2"
        >
          {problem}
        </p>
      ) : null}
      <GuardianInterventions interventions={task.guardian} />

      <div className="grid gap-x-8 gap-y-4 sm:grid-cols-2">
        <section aria-labelledby="task-agent" className="grid content-start gap-1.5">
          <h2 id="task-agent" className="font-medium text-muted-foreground text-xs">
            Agent
          </h2>
          {latest ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
              <Fact label="Backend">
                {latest.agentKind?.toLowerCase() ?? "—"}
                {latest.model ? <span className="font-mono"> · {latest.model}</span> : null}
              </Fact>
              <Fact label="Runs on">
                <span className="font-mono">{latest.runner?.name ?? latest.workerId ?? "—"}</span>
                {latest.runner ? null : latest.workerId ? " (built-in runner)" : null}
              </Fact>
              <Fact label="Attempt">
                {latest.attempt} of {task.maxAttempts}
              </Fact>
              {running.has(task.status) ? (
                <Fact label="Heartbeat">
                  <HeartbeatAge
                    since={task.lastHeartbeatAt ?? latest.heartbeatAt}
                    renderedAt={renderedAt}
                    suffix=" ago"
                  />
                </Fact>
              ) : null}
              {latest.branch ? (
                <Fact label="Branch">
                  <span className="font-mono">{latest.branch}</span>
                </Fact>
              ) : null}
              <Fact label="Cost">
                <span className="font-mono">${Number(task.costUsd).toFixed(4)}</span>
              </Fact>
            </dl>
          ) : (
            <p className="text-muted-foreground text-xs">No agent has run this task yet.</p>
          )}
        </section>
        <section aria-labelledby="task-deps" className="grid content-start gap-1.5">
          <h2 id="task-deps" className="font-medium text-muted-foreground text-xs">
            Depends on
          </h2>
          {task.dependsOn.length ? (
            <ul className="grid gap-0.5">
              {task.dependsOn.map(({ dependsOn: dep }) => (
                <li key={dep.id}>
                  <Link
                    href={taskHref(dep.id)}
                    {...nav}
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
            <p className="text-muted-foreground text-xs">Nothing: it can start first.</p>
          )}
        </section>
      </div>

      {drawer ? (
        <TaskTabs
          label="Task views"
          initial={tab}
          tabs={taskTabs.map((t) => ({ ...t, panel: panels[t.param] }))}
        />
      ) : (
        <>
          <nav aria-label="Task views" className="flex gap-1 overflow-x-auto border-b">
            {taskTabs.map((t) => (
              <Link
                key={t.param}
                href={taskHref(task.id, `?tab=${t.param}`)}
                aria-current={t.param === tab ? "page" : undefined}
                className={cn(
                  "-mb-px border-b-2 px-3 py-2",
                  t.param === tab
                    ? "border-foreground font-medium"
                    : "border-transparent text-muted-foreground hover:text-foreground",
                )}
              >
                {t.label}
              </Link>
            ))}
          </nav>
          {panels[tab]}
        </>
      )}
    </div>
  );
}
