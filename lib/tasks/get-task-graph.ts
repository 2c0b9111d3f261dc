import "server-only";
import { z } from "zod";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type BuiltTaskGraph, buildTaskGraph } from "./build-task-graph";

export type { TaskGraphEdge, TaskGraphNode } from "./build-task-graph";

export const getTaskGraphSchema = z.object({ specId: z.string().min(1) });
export type GetTaskGraphInput = z.input<typeof getTaskGraphSchema>;

export interface TaskGraph extends BuiltTaskGraph {
  spec: {
    id: string;
    title: string;
    state: string;
    project: { id: string; name: string };
  };
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
  const graph = buildTaskGraph(
    rows.map(({ dependsOn, ...task }) => ({
      ...task,
      dependsOnIds: dependsOn.map((edge) => edge.dependsOnId),
    })),
  );
  return { spec, ...graph };
}
