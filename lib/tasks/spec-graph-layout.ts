import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  computeLayout,
  type GraphPositions,
  type LayoutInput,
  layoutKey,
  recallLayout,
  rememberLayout,
} from "./layout-task-graph";

type Tx = Pick<Prisma.TransactionClient, "spec">;

/**
 * Lays out a spec's task graph and keeps the result on the spec, for its shape. Called when the
 * task graph is approved (lib/specs/approve-phase.ts), so the graph page finds it ready.
 */
export async function storeSpecGraphLayout(
  tx: Tx,
  options: { orgId: string; specId: string; nodes: readonly LayoutInput[] },
): Promise<GraphPositions> {
  const key = layoutKey(options.nodes);
  const positions = recallLayout(key) ?? rememberLayout(key, computeLayout(options.nodes));
  await tx.spec.updateMany({
    where: { id: options.specId, orgId: options.orgId },
    data: { graphLayout: positions, graphLayoutKey: key },
  });
  return positions;
}

/**
 * Where the graph page draws each task of a spec: this process's memory, else the layout kept on
 * the spec for this shape, else laid out now and kept (specs approved before layouts were kept).
 */
export async function specGraphLayout(
  db: Db,
  options: { orgId: string; specId: string; nodes: readonly LayoutInput[] },
): Promise<GraphPositions> {
  const key = layoutKey(options.nodes);
  const remembered = recallLayout(key);
  if (remembered) return remembered;
  const spec = await db.spec.findFirst({
    where: { id: options.specId, orgId: options.orgId },
    select: { graphLayout: true, graphLayoutKey: true },
  });
  if (spec?.graphLayoutKey === key && isPositions(spec.graphLayout)) {
    return rememberLayout(key, spec.graphLayout);
  }
  return storeSpecGraphLayout(db, options);
}

function isPositions(
  value: Prisma.JsonValue | undefined,
): value is GraphPositions & Prisma.JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
