import { List, Network } from "lucide-react";
import Link from "next/link";
import { PhaseBadge } from "@/components/ui/status-badge";
import type { TasksContent } from "@/lib/specs/artifact-schemas";
import { topologicalOrder } from "@/lib/tasks/graph";
import { cn } from "@/lib/utils/cn";

/** List | Graph: two links, so the choice is in the URL. */
export function TasksViewToggle({ href, view }: { href: string; view: "list" | "graph" }) {
  const options = [
    { value: "list", label: "List", icon: List, to: href },
    { value: "graph", label: "Graph", icon: Network, to: `${href}&view=graph` },
  ] as const;
  return (
    <nav aria-label="Tasks view" className="flex w-fit gap-0.5 rounded-md border p-0.5">
      {options.map((option) => (
        <Link
          key={option.value}
          href={option.to}
          aria-current={view === option.value ? "page" : undefined}
          className={cn(
            "flex items-center gap-1 rounded px-2 py-0.5 text-xs",
            view === option.value
              ? "bg-secondary font-medium text-secondary-foreground"
              : "text-muted-foreground hover:text-foreground",
          )}
        >
          <option.icon className="size-3.5" aria-hidden="true" /> {option.label}
        </Link>
      ))}
    </nav>
  );
}

/** The task graph as a list in dependency order: each task's phase, estimate, files, dependencies and requirements. */
export function TasksView({ content }: { content: TasksContent }) {
  const ordered = topologicalOrder(content.tasks);
  return (
    <ol aria-label="Tasks" className="divide-y rounded-lg border bg-card">
      {ordered.map((task) => (
        <li key={task.key} className="grid gap-1.5 p-3">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-muted-foreground text-xs">{task.key}</span>
            <span className="font-medium text-sm">{task.title}</span>
            <PhaseBadge phase={task.phase} />
            {task.done ? (
              <span
                className="rounded border border-dashed px-1.5 py-0.5 text-muted-foreground text-xs"
                title="Checked [x] in the imported tasks.md. Approving the graph still queues it: work done elsewhere is not on this spec's branches."
              >
                [x] in the file
              </span>
            ) : null}
            <span className="ml-auto text-muted-foreground text-xs">
              ~{task.estimateMinutes} min
            </span>
          </div>
          {task.description ? (
            <p className="text-muted-foreground text-sm">{task.description}</p>
          ) : null}
          <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
            <span>
              <span className="text-muted-foreground">Depends on </span>
              {task.dependsOn.length ? (
                <span className="font-mono">{task.dependsOn.join(", ")}</span>
              ) : (
                "nothing"
              )}
            </span>
            {task.requirementIds.length ? (
              <span className="flex flex-wrap gap-1">
                {task.requirementIds.map((id) => (
                  <span key={id} className="rounded bg-muted px-1 font-mono">
                    {id}
                  </span>
                ))}
              </span>
            ) : null}
            {task.files.length ? (
              <span className="font-mono text-muted-foreground">{task.files.join("  ")}</span>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
