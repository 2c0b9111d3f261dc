import "server-only";
import { notFound } from "next/navigation";
import { orNotFound } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { getRunTrace } from "@/lib/execution/get-run-trace";
import { getTaskDetail } from "@/lib/execution/get-task-detail";
import type { Actor } from "@/lib/orgs/roles";

export const taskTabs = [
  { param: "log", label: "Log" },
  { param: "diff", label: "Diff" },
  { param: "verification", label: "Verification" },
  { param: "cost", label: "Cost" },
  { param: "trace", label: "Trace" },
] as const;

export type TaskTab = (typeof taskTabs)[number]["param"];

export type TaskView = Awaited<ReturnType<typeof loadTaskView>>;

/**
 * What the task page and the task drawer show, for the tab (and trace run) the URL names:
 * the task's detail, and the run's trace on the Trace tab (in the drawer, whose tabs switch
 * in the browser, always the latest run's). 404 for another organization's task or a run
 * that is not this task's.
 */
export async function loadTaskView(
  actor: Actor,
  options: { taskId: string; tab?: string; run?: string; drawer?: boolean },
) {
  const detail = await orNotFound(getTaskDetail(db(), { actor, taskId: options.taskId }));
  const tab: TaskTab = taskTabs.find((t) => t.param === options.tab)?.param ?? "log";
  const { task, latest } = detail;
  // The Trace tab shows the run the URL names (one of this task's, else 404), by default the latest.
  const traceRun =
    tab === "trace" && options.run ? task.runs.find((r) => r.id === options.run) : latest;
  if (tab === "trace" && options.run && !traceRun) notFound();
  const trace =
    (tab === "trace" || options.drawer) && traceRun
      ? await getRunTrace(db(), { actor, runId: traceRun.id, logs: false })
      : null;
  return { ...detail, tab, traceRun, trace, renderedAt: new Date() };
}
