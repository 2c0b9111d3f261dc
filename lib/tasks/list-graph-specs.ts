import "server-only";
import type { Db } from "@/lib/db/client";
import type { SpecState } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";

const ACTIVE_STATES: ReadonlySet<SpecState> = new Set(["EXECUTING", "VERIFYING"]);

export interface GraphSpec {
  id: string;
  title: string;
  state: SpecState;
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
    },
  });
  const specs = rows.map(({ _count, ...spec }) => ({ ...spec, taskCount: _count.tasks }));
  // A stable partition: active specs first, recency kept within each group.
  return [
    ...specs.filter((spec) => ACTIVE_STATES.has(spec.state)),
    ...specs.filter((spec) => !ACTIVE_STATES.has(spec.state)),
  ];
}
