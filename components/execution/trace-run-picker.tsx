import Link from "next/link";
import { getStatusMeta } from "@/components/ui/status-badge";
import { cn } from "@/lib/utils/cn";

export interface TraceRunChoice {
  id: string;
  attempt: number;
  status: string;
}

/**
 * The runs of a task, oldest first, as links (Tab and Enter; the URL names the run, so a link to
 * one run's trace can be shared). `runs` come newest first, as getTaskDetail lists them.
 */
export function TraceRunPicker({
  runs,
  selectedId,
  hrefOf,
}: {
  runs: readonly TraceRunChoice[];
  selectedId: string;
  hrefOf: (runId: string) => string;
}) {
  if (runs.length < 2) return null;
  const oldestFirst = [...runs].reverse();
  return (
    <nav aria-label="Runs of this task">
      <ol className="flex flex-wrap gap-1.5">
        {oldestFirst.map((run, index) => {
          const selected = run.id === selectedId;
          const latest = index === oldestFirst.length - 1;
          return (
            <li key={run.id}>
              <Link
                href={hrefOf(run.id)}
                aria-current={selected ? "true" : undefined}
                title={`Attempt ${run.attempt}`}
                className={cn(
                  "inline-flex items-center gap-1.5 rounded-md border px-2.5 py-1 text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  selected
                    ? "border-foreground bg-muted font-medium"
                    : "text-muted-foreground hover:text-foreground",
                )}
              >
                {`Run ${index + 1} · ${getStatusMeta(run.status).label.toLowerCase()}${latest ? " · latest" : ""}`}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
