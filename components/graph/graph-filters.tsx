import { Check, ChevronsUpDown } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { StatusBadge } from "@/components/ui/status-badge";
import type { GraphSpec } from "@/lib/tasks/list-graph-specs";

/** `?project=…&spec=…` for the graph page, leaving out what is unset. */
function graphQuery(params: { project?: string | null; spec?: string | null }): string {
  const query = new URLSearchParams();
  if (params.project) query.set("project", params.project);
  if (params.spec) query.set("spec", params.spec);
  const text = query.toString();
  return text ? `?${text}` : "";
}

/**
 * The graph's filters: a project (or all) and a spec of it. Both are menus of links,
 * so each choice is a plain navigation that works from the keyboard and can be shared.
 */
export function GraphFilters({
  basePath,
  specs,
  projectId,
  specId,
}: {
  basePath: string;
  specs: GraphSpec[];
  projectId: string | null;
  specId: string | null;
}) {
  const projects = [...new Map(specs.map((s) => [s.project.id, s.project])).values()];
  const project = projects.find((p) => p.id === projectId) ?? null;
  const shown = projectId ? specs.filter((s) => s.project.id === projectId) : specs;
  const current = specs.find((s) => s.id === specId) ?? null;
  const grouped = [...new Set(shown.map((s) => s.project.id))].map((id) => ({
    project: projects.find((p) => p.id === id)!,
    specs: shown.filter((s) => s.project.id === id),
  }));

  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="outline"
            size="sm"
            aria-label={`Project: ${project?.name ?? "all projects"}. Change project`}
          >
            <span className="max-w-40 truncate">{project?.name ?? "All projects"}</span>
            <ChevronsUpDown className="size-3.5 opacity-60" aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-60">
          <DropdownMenuLabel>Project</DropdownMenuLabel>
          <DropdownMenuItem asChild>
            <Link href={basePath}>
              All projects
              {project ? null : <Check className="ml-auto size-3.5" aria-label="current" />}
            </Link>
          </DropdownMenuItem>
          {projects.map((p) => (
            <DropdownMenuItem key={p.id} asChild>
              <Link href={`${basePath}${graphQuery({ project: p.id })}`}>
                <span className="truncate">{p.name}</span>
                {p.id === projectId ? (
                  <Check className="ml-auto size-3.5" aria-label="current" />
                ) : null}
              </Link>
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="outline"
            size="sm"
            aria-label={`Spec: ${current?.title ?? "none"}. Switch spec`}
          >
            <span className="max-w-56 truncate">{current?.title ?? "Choose a spec"}</span>
            <ChevronsUpDown className="size-3.5 opacity-60" aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="max-h-96 w-72 overflow-y-auto">
          {grouped.map((group, i) => (
            <div key={group.project.id}>
              {i > 0 ? <DropdownMenuSeparator /> : null}
              <DropdownMenuLabel>{group.project.name}</DropdownMenuLabel>
              {group.specs.map((s) => (
                <DropdownMenuItem key={s.id} asChild>
                  <Link href={`${basePath}${graphQuery({ project: projectId, spec: s.id })}`}>
                    <span className="min-w-0 flex-1 truncate">{s.title}</span>
                    <StatusBadge status={s.state} showDot={false} />
                    {s.id === specId ? <Check className="size-3.5" aria-label="current" /> : null}
                  </Link>
                </DropdownMenuItem>
              ))}
            </div>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );
}
