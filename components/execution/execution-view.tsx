import { Lock } from "lucide-react";
import Link from "next/link";
import { PhaseBadge, StatusBadge } from "@/components/ui/status-badge";
import { LiveRefresh } from "./live-refresh";

interface TaskRow {
  id: string;
  key: string;
  title: string;
  phase: string;
  status: string;
  attempts: number;
  attentionReason: string | null;
  dependsOn: { dependsOn: { key: string; status: string } }[];
}

const active = new Set(["QUEUED", "RUNNING", "VERIFYING", "PENDING"]);

/** The spec's tasks with live status: done out of total, and what blocks each waiting task. */
export function ExecutionView({ orgSlug, tasks }: { orgSlug: string; tasks: TaskRow[] }) {
  const done = tasks.filter((t) => t.status === "DONE").length;
  return (
    <div className="grid grid-cols-1 gap-3">
      <LiveRefresh active={tasks.some((t) => active.has(t.status))} />
      <p className="text-muted-foreground text-sm" aria-live="polite">
        {done} of {tasks.length} tasks done
      </p>
      <ol aria-label="Tasks" className="divide-y rounded-lg border bg-card">
        {tasks.map((task) => {
          const blockers = task.dependsOn
            .map((d) => d.dependsOn)
            .filter((d) => d.status !== "DONE");
          return (
            <li key={task.id} data-task-key={task.key} data-status={task.status}>
              <Link
                href={`/${orgSlug}/tasks/${task.id}`}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-dense hover:bg-accent/50 md:flex-nowrap"
              >
                <span className="w-8 shrink-0 font-mono text-muted-foreground text-xs">
                  {task.key}
                </span>
                <span className="min-w-0 flex-1 truncate font-medium">{task.title}</span>
                {task.status === "PENDING" && blockers.length ? (
                  <span
                    className="flex shrink-0 items-center gap-1 text-muted-foreground text-xs"
                    title={`Waiting for ${blockers.map((b) => b.key).join(", ")}`}
                  >
                    <Lock className="size-3" aria-hidden="true" /> waits for{" "}
                    {blockers.map((b) => b.key).join(", ")}
                  </span>
                ) : null}
                {task.attentionReason ? (
                  <span className="truncate text-status-attention text-xs">
                    {task.attentionReason}
                  </span>
                ) : null}
                <PhaseBadge phase={task.phase} />
                {task.attempts > 1 ? (
                  <span className="text-muted-foreground text-xs">try {task.attempts}</span>
                ) : null}
                <StatusBadge status={task.status} className="w-28 shrink-0 justify-center" />
              </Link>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
