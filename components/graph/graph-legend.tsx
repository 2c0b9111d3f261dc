import { cn } from "@/lib/utils/cn";

const swatches = [
  { label: "Waiting", className: "bg-status-queued" },
  { label: "Running", className: "bg-status-running" },
  { label: "Verifying", className: "bg-status-verifying" },
  { label: "Needs attention", className: "bg-status-attention" },
  { label: "Done", className: "bg-status-done" },
  { label: "Failed", className: "bg-status-failed" },
];

/** What the graph's colours and lines mean. */
export function GraphLegend({ className }: { className?: string }) {
  return (
    <ul
      aria-label="Legend"
      className={cn("flex flex-wrap items-center gap-x-3 gap-y-1 text-muted-foreground", className)}
    >
      {swatches.map((s) => (
        <li key={s.label} className="flex items-center gap-1">
          <span aria-hidden="true" className={cn("h-2.5 w-1 rounded-sm", s.className)} />
          {s.label}
        </li>
      ))}
      <li className="flex items-center gap-1">
        <svg aria-hidden="true" width="18" height="6" className="text-foreground">
          <line x1="0" y1="3" x2="18" y2="3" stroke="currentColor" strokeWidth="2.5" />
        </svg>
        Critical path
      </li>
      <li className="flex items-center gap-1">
        <svg aria-hidden="true" width="18" height="6" className="text-muted-foreground">
          <line x1="0" y1="3" x2="18" y2="3" stroke="currentColor" strokeDasharray="4 3" />
        </svg>
        Waits on
      </li>
    </ul>
  );
}
