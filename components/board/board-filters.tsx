import Link from "next/link";
import { NativeSelect } from "@/components/forms/native-select";
import { Button } from "@/components/ui/button";
import type { FilterOption } from "@/lib/tasks/list-board-filter-options";
import type { BoardFilters } from "@/lib/tasks/list-board-tasks";
import { cn } from "@/lib/utils/cn";
import type { BoardView } from "./board-columns";

const fields = [
  { name: "project", label: "Project", all: "All projects" },
  { name: "spec", label: "Spec", all: "All specs" },
  { name: "agent", label: "Agent", all: "Any agent" },
  { name: "label", label: "Label", all: "Any label" },
] as const;

/** The board's URL: view and filters, so a filtered board can be shared and reloaded. */
export function boardHref(orgSlug: string, view: BoardView, filters: BoardFilters): string {
  const search = new URLSearchParams();
  if (view !== "status") search.set("view", view);
  for (const [k, v] of Object.entries(filters)) if (v) search.set(k, v);
  const qs = search.toString();
  return `/${orgSlug}/board${qs ? `?${qs}` : ""}`;
}

/** View toggle (status | phase) and the filters, as a plain GET form: keyboard and no-JS friendly. */
export function BoardToolbar({
  orgSlug,
  view,
  filters,
  options,
  count,
}: {
  orgSlug: string;
  view: BoardView;
  filters: BoardFilters;
  options: Record<(typeof fields)[number]["name"], FilterOption[]>;
  count: number;
}) {
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="flex flex-wrap items-end gap-3 border-b px-4 py-3">
      <nav aria-label="Board view" className="flex rounded-md border p-0.5">
        {(["status", "phase"] as const).map((v) => (
          <Link
            key={v}
            href={boardHref(orgSlug, v, filters)}
            aria-current={view === v ? "page" : undefined}
            className={cn(
              "rounded px-2.5 py-1 text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring",
              view === v ? "bg-accent font-medium" : "text-muted-foreground hover:text-foreground",
            )}
          >
            {v === "status" ? "By status" : "By phase"}
          </Link>
        ))}
      </nav>
      <form
        action={`/${orgSlug}/board`}
        className="flex flex-wrap items-end gap-2"
        aria-label="Filter tasks"
      >
        {view !== "status" ? <input type="hidden" name="view" value={view} /> : null}
        {fields.map((f) => (
          <div key={f.name} className="grid gap-1">
            <label htmlFor={`board-${f.name}`} className="text-muted-foreground text-xs">
              {f.label}
            </label>
            <NativeSelect
              id={`board-${f.name}`}
              name={f.name}
              defaultValue={filters[f.name] ?? ""}
              className="h-8 w-40 text-xs"
            >
              <option value="">{f.all}</option>
              {options[f.name].map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </NativeSelect>
          </div>
        ))}
        <Button type="submit" size="sm" variant="outline" className="h-8">
          Apply
        </Button>
        {filtered ? (
          <Button asChild size="sm" variant="ghost" className="h-8">
            <Link href={boardHref(orgSlug, view, {})}>Clear filters</Link>
          </Button>
        ) : null}
      </form>
      <p className="ml-auto pb-1.5 text-muted-foreground text-xs tabular-nums">
        {count.toLocaleString("en")} {count === 1 ? "task" : "tasks"}
        {filtered ? " match" : ""}
      </p>
    </div>
  );
}
