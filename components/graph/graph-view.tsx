"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import type { TaskGraphNode } from "@/lib/tasks/build-task-graph";
import { TaskGraph } from "./task-graph";

/**
 * The graph, whose nodes open their task in the drawer: a click goes to the task's URL, which
 * the graph's `@modal` slot intercepts (the drawer over the graph; a reload shows the task's page).
 */
export function GraphView({
  orgSlug,
  nodes,
  criticalPath,
  positions,
  label,
  className,
}: {
  orgSlug: string;
  nodes: TaskGraphNode[];
  criticalPath: string[];
  positions: Record<string, { x: number; y: number }>;
  label: string;
  className?: string;
}) {
  const router = useRouter();
  const openTask = useCallback(
    (task: TaskGraphNode) => router.push(`/${orgSlug}/tasks/${task.id}`, { scroll: false }),
    [orgSlug, router],
  );
  return (
    <TaskGraph
      nodes={nodes}
      criticalPath={criticalPath}
      positions={positions}
      onOpenTask={openTask}
      label={label}
      className={className}
    />
  );
}
