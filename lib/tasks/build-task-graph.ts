import type { TaskPhase, TaskStatus } from "@/lib/generated/prisma/enums";
import { blockingReasons, criticalPath, DependencyCycleError, topologicalOrder } from "./graph";

/** Minutes a task without an estimate counts for on the critical path. */
export const DEFAULT_ESTIMATE_MINUTES = 30;

/** A task's status, or PLANNED for a task of a graph still in review (no row yet). */
export type GraphTaskStatus = TaskStatus | "PLANNED";

const RUNNING: ReadonlySet<string> = new Set(["RUNNING", "VERIFYING"]);
const ACTIVE: ReadonlySet<string> = new Set(["QUEUED", "RUNNING", "VERIFYING"]);

export interface GraphTaskInput {
  id: string;
  key: string;
  title: string;
  status: GraphTaskStatus;
  phase: TaskPhase;
  estimateMinutes: number | null;
  attentionReason: string | null;
  dependsOnIds: string[];
}

// A type, not an interface: React Flow wants node data indexable (Record<string, unknown>).
export type TaskGraphNode = {
  id: string;
  key: string;
  title: string;
  status: GraphTaskStatus;
  phase: TaskPhase;
  estimateMinutes: number | null;
  attentionReason: string | null;
  /** Ids of the tasks this one depends on (the layout's edges). */
  dependsOnIds: string[];
  /** A waiting task's unmet dependencies (not done yet), with their status; empty otherwise. */
  blockedBy: { key: string; status: GraphTaskStatus }[];
  critical: boolean;
};

export interface TaskGraphEdge {
  /** `<dependency id>-><dependent id>` */
  id: string;
  /** The dependency: it runs first, so it sits on the left. */
  source: string;
  target: string;
  sourceKey: string;
  targetKey: string;
  /** Either end is running or verifying. */
  running: boolean;
  /** The dependent waits on this edge's dependency. */
  blocked: boolean;
  critical: boolean;
}

export interface BuiltTaskGraph {
  /** In dependency order (a dependency before its dependents), which is also the keyboard order. */
  nodes: TaskGraphNode[];
  edges: TaskGraphEdge[];
  criticalPath: { keys: string[]; minutes: number };
  done: number;
  /** Some task is queued, running or verifying: the view should stay live. */
  active: boolean;
}

/**
 * Pure: tasks (with statuses) as a drawable graph. A PENDING task whose dependencies are
 * not all done is blocked by them; edges are marked running (either end runs), blocked
 * (into a blocked task from an unfinished one) and critical (on the heaviest chain by
 * estimated minutes). Dependencies on ids not in `tasks` are left out.
 */
export function buildTaskGraph(tasks: readonly GraphTaskInput[]): BuiltTaskGraph {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const byKey = new Map(tasks.map((task) => [task.key, task]));
  // The graph algorithms work on keys; keys are unique within a spec.
  const graphNodes = tasks.map((task) => ({
    key: task.key,
    dependsOn: task.dependsOnIds
      .map((id) => byId.get(id)?.key)
      .filter((key): key is string => key !== undefined),
  }));

  let ordered = graphNodes;
  let path: { path: string[]; length: number } = { path: [], length: 0 };
  try {
    ordered = topologicalOrder(graphNodes);
    path = criticalPath(
      graphNodes,
      (node) => byKey.get(node.key)?.estimateMinutes ?? DEFAULT_ESTIMATE_MINUTES,
    );
  } catch (error) {
    // Approved graphs are acyclic; should one not be, draw it as stored, without a critical path.
    if (!(error instanceof DependencyCycleError)) throw error;
  }
  const onPath = new Set(path.path);
  const criticalEdges = new Set(path.path.slice(1).map((key, i) => `${path.path[i]}->${key}`));
  const reasons = blockingReasons(
    graphNodes,
    new Map(tasks.map((task) => [task.key, task.status as string])),
  );
  const blocked = new Set(
    [...reasons.keys()].filter((key) => byKey.get(key)?.status === "PENDING"),
  );

  const nodes: TaskGraphNode[] = ordered.map(({ key }) => {
    const task = byKey.get(key)!;
    return {
      id: task.id,
      key: task.key,
      title: task.title,
      status: task.status,
      phase: task.phase,
      estimateMinutes: task.estimateMinutes,
      attentionReason: task.attentionReason,
      dependsOnIds: task.dependsOnIds.filter((id) => byId.has(id)),
      blockedBy: blocked.has(key)
        ? (reasons.get(key) ?? []).map((dep) => ({ key: dep, status: byKey.get(dep)!.status }))
        : [],
      critical: onPath.has(key),
    };
  });

  const edges: TaskGraphEdge[] = nodes.flatMap((node) =>
    node.dependsOnIds.map((sourceId) => {
      const source = byId.get(sourceId)!;
      return {
        id: `${sourceId}->${node.id}`,
        source: sourceId,
        target: node.id,
        sourceKey: source.key,
        targetKey: node.key,
        running: RUNNING.has(source.status) || RUNNING.has(node.status),
        blocked: blocked.has(node.key) && source.status !== "DONE",
        critical: criticalEdges.has(`${source.key}->${node.key}`),
      };
    }),
  );

  return {
    nodes,
    edges,
    criticalPath: { keys: path.path, minutes: path.length },
    done: tasks.filter((task) => task.status === "DONE").length,
    active: tasks.some((task) => ACTIVE.has(task.status)),
  };
}

/**
 * A task graph still in review (the tasks artifact: keys and dependencies, no rows yet),
 * drawn the same way: every task PLANNED, ids are keys, the critical path by estimates.
 */
export function plannedTaskGraph(
  tasks: readonly {
    key: string;
    title: string;
    phase: TaskPhase;
    estimateMinutes: number;
    dependsOn: readonly string[];
  }[],
): BuiltTaskGraph {
  return buildTaskGraph(
    tasks.map((task) => ({
      id: task.key,
      key: task.key,
      title: task.title,
      status: "PLANNED",
      phase: task.phase,
      estimateMinutes: task.estimateMinutes,
      attentionReason: null,
      dependsOnIds: [...task.dependsOn],
    })),
  );
}
