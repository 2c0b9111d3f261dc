import "server-only";
import { z } from "zod";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { TaskPhase, TaskStatus } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { blockingReasons, criticalPath, DependencyCycleError, topologicalOrder } from "./graph";

export const getTaskGraphSchema = z.object({ specId: z.string().min(1) });
export type GetTaskGraphInput = z.input<typeof getTaskGraphSchema>;

/** Minutes a task without an estimate counts for on the critical path. */
export const DEFAULT_ESTIMATE_MINUTES = 30;

const RUNNING: ReadonlySet<TaskStatus> = new Set(["RUNNING", "VERIFYING"]);
const ACTIVE: ReadonlySet<TaskStatus> = new Set(["QUEUED", "RUNNING", "VERIFYING"]);

// A type, not an interface: React Flow wants node data indexable (Record<string, unknown>).
export type TaskGraphNode = {
  id: string;
  key: string;
  title: string;
  status: TaskStatus;
  phase: TaskPhase;
  estimateMinutes: number | null;
  attentionReason: string | null;
  /** Ids of the tasks this one depends on (the layout's edges). */
  dependsOnIds: string[];
  /** A waiting task's unmet dependencies (not done yet), with their status; empty otherwise. */
  blockedBy: { key: string; status: TaskStatus }[];
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

export interface TaskGraph {
  spec: {
    id: string;
    title: string;
    state: string;
    project: { id: string; name: string };
  };
  /** In dependency order (a dependency before its dependents), which is also the keyboard order. */
  nodes: TaskGraphNode[];
  edges: TaskGraphEdge[];
  criticalPath: { keys: string[]; minutes: number };
  done: number;
  /** Some task is queued, running or verifying: the view should stay live. */
  active: boolean;
}

/**
 * A spec's tasks as a graph for the dependency view: nodes with what blocks each
 * waiting task, edges marked running / blocked / critical, and the critical path
 * (by estimated minutes). Another organization's spec is NOT_FOUND.
 */
export async function getTaskGraph(
  db: Db,
  options: { actor: Actor; input: GetTaskGraphInput },
): Promise<TaskGraph> {
  const { actor } = options;
  assertCan(actor, "read");
  const { specId } = getTaskGraphSchema.parse(options.input);
  const spec = await db.spec.findFirst({
    where: { id: specId, orgId: actor.orgId },
    select: {
      id: true,
      title: true,
      state: true,
      project: { select: { id: true, name: true } },
    },
  });
  if (!spec) throw notFound("Spec");
  const rows = await db.task.findMany({
    where: { specId: spec.id, orgId: actor.orgId },
    select: {
      id: true,
      key: true,
      title: true,
      status: true,
      phase: true,
      estimateMinutes: true,
      attentionReason: true,
      dependsOn: { select: { dependsOnId: true } },
    },
  });

  const byId = new Map(rows.map((row) => [row.id, row]));
  // The pure graph helpers work on keys; keys are unique within a spec.
  const graphNodes = rows.map((row) => ({
    key: row.key,
    id: row.id,
    dependsOn: row.dependsOn
      .map((edge) => byId.get(edge.dependsOnId)?.key)
      .filter((key): key is string => key !== undefined),
  }));
  const statusByKey = new Map(rows.map((row) => [row.key, row.status as string]));
  const rowByKey = new Map(rows.map((row) => [row.key, row]));

  let ordered = graphNodes;
  let path: { path: string[]; length: number } = { path: [], length: 0 };
  try {
    ordered = topologicalOrder(graphNodes);
    path = criticalPath(
      graphNodes,
      (node) => rowByKey.get(node.key)?.estimateMinutes ?? DEFAULT_ESTIMATE_MINUTES,
    );
  } catch (error) {
    // Approved graphs are acyclic; should one not be, draw it as stored, without a critical path.
    if (!(error instanceof DependencyCycleError)) throw error;
  }
  const onPath = new Set(path.path);
  const criticalEdges = new Set(path.path.slice(1).map((key, i) => `${path.path[i]}->${key}`));
  const reasons = blockingReasons(graphNodes, statusByKey);
  const blockedKeys = new Set(
    [...reasons.keys()].filter((key) => rowByKey.get(key)?.status === "PENDING"),
  );

  const nodes: TaskGraphNode[] = ordered.map(({ key }) => {
    const row = rowByKey.get(key)!;
    return {
      id: row.id,
      key: row.key,
      title: row.title,
      status: row.status,
      phase: row.phase,
      estimateMinutes: row.estimateMinutes,
      attentionReason: row.attentionReason,
      dependsOnIds: row.dependsOn.map((edge) => edge.dependsOnId).filter((id) => byId.has(id)),
      blockedBy: blockedKeys.has(key)
        ? (reasons.get(key) ?? []).map((dep) => ({
            key: dep,
            status: rowByKey.get(dep)!.status,
          }))
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
        blocked: blockedKeys.has(node.key) && source.status !== "DONE",
        critical: criticalEdges.has(`${source.key}->${node.key}`),
      };
    }),
  );

  return {
    spec,
    nodes,
    edges,
    criticalPath: { keys: path.path, minutes: path.length },
    done: rows.filter((row) => row.status === "DONE").length,
    active: rows.some((row) => ACTIVE.has(row.status)),
  };
}
