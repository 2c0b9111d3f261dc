import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { heldTaskWhere, type ShownSpecState, shownSpecState } from "@/lib/specs/spec-attention";

// Held specs count as active: they are the ones a person should look at.
const ACTIVE_STATES: ReadonlySet<ShownSpecState> = new Set([
  "EXECUTING",
  "VERIFYING",
  "NEEDS_ATTENTION",
]);

export interface GraphSpec {
  id: string;
  title: string;
  /** The state to show: NEEDS_ATTENTION when a failed task holds its execution. */
  state: ShownSpecState;
  taskCount: number;
  project: { id: string; name: string };
}

/**
 * The organization's specs that have tasks, for the graph's spec switcher: executing
 * ones first, then the most recently changed; the first is the graph to show by default.
 */
export async function listGraphSpecs(
  db: Db,
  options: { actor: Actor; take?: number },
): Promise<GraphSpec[]> {
  assertCan(options.actor, "read");
  const rows = await db.spec.findMany({
    where: { orgId: options.actor.orgId, tasks: { some: {} } },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: options.take ?? 100,
    select: {
      id: true,
      title: true,
      state: true,
      project: { select: { id: true, name: true } },
      _count: { select: { tasks: true } },
      tasks: { where: heldTaskWhere, select: { id: true }, take: 1 },
    },
  });
  const specs = rows.map(({ _count, tasks, ...spec }) => ({
    ...spec,
    state: shownSpecState(spec.state, tasks.length),
    taskCount: _count.tasks,
  }));
  // A stable partition: active specs first, recency kept within each group.
  return [
    ...specs.filter((spec) => ACTIVE_STATES.has(spec.state)),
    ...specs.filter((spec) => !ACTIVE_STATES.has(spec.state)),
  ];
}
