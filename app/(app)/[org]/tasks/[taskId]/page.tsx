import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DiffView } from "@/components/execution/diff-view";
import { GuardianInterventions } from "@/components/execution/guardian-interventions";
import { LiveRefresh } from "@/components/execution/live-refresh";
import { LogView } from "@/components/execution/log-view";
import { TaskActions } from "@/components/execution/task-actions";
import { TraceRunPicker } from "@/components/execution/trace-run-picker";
import { TraceView } from "@/components/execution/trace-view";
import { PageHeader } from "@/components/shell/page-header";
import { PhaseBadge, StatusBadge } from "@/components/ui/status-badge";
import { orNotFound, requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { getRunTrace } from "@/lib/execution/get-run-trace";
import { getTaskDetail } from "@/lib/execution/get-task-detail";
import { can } from "@/lib/orgs/roles";
import { cn } from "@/lib/utils/cn";

export const metadata: Metadata = { title: "Task" };

const tabs = [
  { param: "log", label: "Log" },
  { param: "diff", label: "Diff" },
  { param: "verification", label: "Verification" },
  { param: "cost", label: "Cost" },
  { param: "trace", label: "Trace" },
] as const;

const inProgress = new Set(["QUEUED", "RUNNING", "VERIFYING"]);

export default async function TaskPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; taskId: string }>;
  searchParams: Promise<{ tab?: string; run?: string }>;
}) {
  const { org: orgSlug, taskId } = await params;
  const { tab: tabParam, run: runParam } = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const { task, latest, logs } = await orNotFound(getTaskDetail(db(), { actor, taskId }));
  const tab = tabs.find((t) => t.param === tabParam) ?? tabs[0];
  // The Trace tab shows the run the URL names (one of this task's, else 404), by default the latest.
  const traceRun =
    tab.param === "trace" && runParam ? task.runs.find((r) => r.id === runParam) : latest;
  if (tab.param === "trace" && runParam && !traceRun) notFound();
  const trace =
    tab.param === "trace" && traceRun
      ? await getRunTrace(db(), { actor, runId: traceRun.id, logs: false })
      : null;
  // Verification is the project's test and lint commands; without either, nothing checks the work.
  const verifies = Boolean(task.project.testCommand || task.project.lintCommand);
  const settingsHref = `/${org.slug}/projects/${task.project.id}/settings`;
  const unverified = task.status === "DONE" && !latest?.verifications.length;
  const traceHref = (runId: string) => `/${org.slug}/tasks/${task.id}?tab=trace&run=${runId}`;

  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: task.spec.title, href: `/${org.slug}/specs/${task.spec.id}?tab=execution` },
          { label: `Task ${task.key}` },
        ]}
      />
      <LiveRefresh active={inProgress.has(task.status)} logs={{ taskId: task.id }} />
      <main className="grid gap-5 p-6">
        <header className="grid gap-2">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="font-semibold text-lg">
              <span className="mr-2 font-mono text-muted-foreground text-base">{task.key}</span>
              {task.title}
            </h1>
            <StatusBadge status={task.status} />
            {unverified ? (
              <span
                className="rounded border border-dashed px-1.5 py-0.5 text-muted-foreground text-xs"
                title={
                  verifies
                    ? "Done without a verification run (e.g. marked done by hand)."
                    : "The project has no test or lint command, so nothing checked this work."
                }
              >
                not verified
              </span>
            ) : null}
            <PhaseBadge phase={task.phase} />
            {can(actor.role, "write") ? (
              <div className="ml-auto">
                <TaskActions taskId={task.id} status={task.status} />
              </div>
            ) : null}
          </div>
          {task.description ? (
            <p className="max-w-3xl text-muted-foreground text-sm">{task.description}</p>
          ) : null}
          <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs">
            <div className="flex gap-1">
              <dt className="text-muted-foreground">Id</dt>
              <dd className="font-mono">{task.id}</dd>
            </div>
            <div className="flex gap-1">
              <dt className="text-muted-foreground">Attempts</dt>
              <dd>{task.attempts}</dd>
            </div>
            {latest?.branch ? (
              <div className="flex gap-1">
                <dt className="text-muted-foreground">Branch</dt>
                <dd className="font-mono">{latest.branch}</dd>
              </div>
            ) : null}
            {task.dependsOn.length ? (
              <div className="flex gap-1">
                <dt className="text-muted-foreground">Depends on</dt>
                <dd className="font-mono">
                  {task.dependsOn.map((d) => d.dependsOn.key).join(", ")}
                </dd>
              </div>
            ) : null}
          </dl>
          {task.attentionReason || latest?.errorMessage ? (
            <p
              role="alert"
              className="rounded-md border border-status-attention/40 bg-status-attention/10 px-3 py-2 text-sm"
            >
              {task.attentionReason ?? latest?.errorMessage}
            </p>
          ) : null}
          <GuardianInterventions interventions={task.guardian} />
        </header>
        <nav aria-label="Task views" className="flex gap-1 border-b">
          {tabs.map((t) => (
            <Link
              key={t.param}
              href={`/${org.slug}/tasks/${task.id}?tab=${t.param}`}
              aria-current={t.param === tab.param ? "page" : undefined}
              className={cn(
                "-mb-px border-b-2 px-3 py-2 text-sm",
                t.param === tab.param
                  ? "border-foreground font-medium"
                  : "border-transparent text-muted-foreground hover:text-foreground",
              )}
            >
              {t.label}
            </Link>
          ))}
        </nav>
        {tab.param === "log" ? <LogView lines={logs} /> : null}
        {tab.param === "diff" ? <DiffView diff={latest?.diff ?? null} /> : null}
        {tab.param === "verification" ? (
          latest?.verifications.length ? (
            <ul className="grid gap-3">
              {latest.verifications.map((v) => (
                <li key={v.id} className="rounded-lg border">
                  <div className="flex items-center gap-2 border-b px-3 py-1.5 text-sm">
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
            <p className="text-muted-foreground text-sm">
              {task.status === "DONE"
                ? "No verification ran for this task (it was marked done without one)."
                : "No verification has run yet (the project's setup, test and lint commands run after the agent)."}
            </p>
          ) : (
            <p className="text-muted-foreground text-sm">
              No verification configured for this project: its work is not tested. Set test or lint
              commands in the{" "}
              <Link href={settingsHref} className="underline underline-offset-2">
                project's settings
              </Link>
              .
            </p>
          )
        ) : null}
        {tab.param === "trace" ? (
          <>
            {traceRun ? (
              <TraceRunPicker runs={task.runs} selectedId={traceRun.id} hrefOf={traceHref} />
            ) : null}
            <TraceView
              events={trace?.events ?? []}
              runStartedAt={trace?.run.startedAt ?? null}
              runLabel={
                traceRun
                  ? `Run ${task.runs.length - task.runs.indexOf(traceRun)} of ${task.runs.length} · attempt ${traceRun.attempt}`
                  : undefined
              }
              downloadHref={traceRun ? `/api/orgs/${org.slug}/runs/${traceRun.id}/trace` : null}
            />
          </>
        ) : null}
        {tab.param === "cost" ? (
          <table className="w-full max-w-xl text-sm">
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
                    {r.inputTokens.toLocaleString("en-US")} /{" "}
                    {r.outputTokens.toLocaleString("en-US")}
                  </td>
                  <td className="font-mono text-xs">${Number(r.costUsd).toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </main>
    </>
  );
}
