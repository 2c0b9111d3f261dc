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
  /** Keys of the tasks this one depends on (keys are unique in a spec and short to send). */
  dependsOn: string[];
  /** A waiting task's unmet dependencies (not done yet), with their status; empty otherwise. */
  blockedBy: { key: string; status: GraphTaskStatus }[];
  critical: boolean;
};

export interface TaskGraphEdge {
  /** `<dependency key>-><dependent key>` */
  id: string;
  /** The dependency's key: it runs first, so it sits on the left. */
  source: string;
  /** The dependent's key. */
  target: string;
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
      ordered,
    );
  } catch (error) {
    // Approved graphs are acyclic; should one not be, draw it as stored, without a critical path.
    if (!(error instanceof DependencyCycleError)) throw error;
  }
  const onPath = new Set(path.path);
  const reasons = blockingReasons(
    graphNodes,
    new Map(tasks.map((task) => [task.key, task.status as string])),
  );
  const blocked = new Set(
    [...reasons.keys()].filter((key) => byKey.get(key)?.status === "PENDING"),
  );

  const nodes: TaskGraphNode[] = ordered.map(({ key, dependsOn }) => {
    const task = byKey.get(key)!;
    return {
      id: task.id,
      key: task.key,
      title: task.title,
      status: task.status,
      phase: task.phase,
      estimateMinutes: task.estimateMinutes,
      attentionReason: task.attentionReason,
      dependsOn,
      blockedBy: blocked.has(key)
        ? (reasons.get(key) ?? []).map((dep) => ({ key: dep, status: byKey.get(dep)!.status }))
        : [],
      critical: onPath.has(key),
    };
  });
  const edges = taskGraphEdges(nodes, path.path);

  return {
    nodes,
    edges,
    criticalPath: { keys: path.path, minutes: path.length },
    done: tasks.filter((task) => task.status === "DONE").length,
    active: tasks.some((task) => ACTIVE.has(task.status)),
  };
}

/**
 * The edges of a graph, from its nodes and its critical path: derived, so the server
 * sends nodes only and the browser draws the edges (a 500-task graph has ~1,000).
 */
export function taskGraphEdges(
  nodes: readonly TaskGraphNode[],
  criticalKeys: readonly string[],
): TaskGraphEdge[] {
  const byKey = new Map(nodes.map((node) => [node.key, node]));
  const critical = new Set(criticalKeys.slice(1).map((key, i) => `${criticalKeys[i]}->${key}`));
  return nodes.flatMap((node) => {
    const waitsOn = new Set(node.blockedBy.map((dep) => dep.key));
    return node.dependsOn.flatMap((sourceKey) => {
      const source = byKey.get(sourceKey);
      if (!source) return [];
      const id = `${sourceKey}->${node.key}`;
      return [
        {
          id,
          source: sourceKey,
          target: node.key,
          running: RUNNING.has(source.status) || RUNNING.has(node.status),
          blocked: waitsOn.has(sourceKey),
          critical: critical.has(id),
        },
      ];
    });
  });
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
