import { TaskGraph } from "@/components/graph/task-graph";
import type { TasksContent } from "@/lib/specs/artifact-schemas";
import { plannedTaskGraph } from "@/lib/tasks/build-task-graph";
import { layoutTaskGraph } from "@/lib/tasks/layout-task-graph";

/** The task graph of a tasks artifact (a plan, before any task runs), drawn like the live graph. */
export function TasksGraph({ content, title }: { content: TasksContent; title: string }) {
  const graph = plannedTaskGraph(content.tasks);
  const positions = layoutTaskGraph(graph.nodes);
  return (
    <div className="grid gap-2">
      {graph.criticalPath.keys.length > 1 ? (
        <p className="text-muted-foreground text-xs">
          Critical path{" "}
          <span className="font-mono text-foreground">{graph.criticalPath.keys.join(" → ")}</span> (
          {graph.criticalPath.minutes} min)
        </p>
      ) : null}
      <div className="h-[60vh] min-h-80 overflow-hidden rounded-lg border">
        <TaskGraph
          nodes={graph.nodes}
          criticalPath={graph.criticalPath.keys}
          positions={positions}
          label={`Planned task graph of ${title}`}
        />
      </div>
    </div>
  );
}
