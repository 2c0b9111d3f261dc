import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { heldTaskWhere, shownSpecState } from "@/lib/specs/spec-attention";
import { agentKindLabels } from "./list-board-tasks";

export interface FilterOption {
  value: string;
  label: string;
}

/** What the board's filters can choose from: projects, specs with tasks, agents and runners that ran tasks, labels. */
export async function listBoardFilterOptions(
  db: Db,
  options: { actor: Actor },
): Promise<{
  projects: FilterOption[];
  specs: FilterOption[];
  agents: FilterOption[];
  labels: FilterOption[];
}> {
  const { actor } = options;
  assertCan(actor, "read");
  const orgId = actor.orgId;
  const [projects, specs, kinds, runners, labels] = await Promise.all([
    db.project.findMany({
      where: { orgId },
      orderBy: { name: "asc" },
      take: 200,
      select: { id: true, name: true },
    }),
    db.spec.findMany({
      where: { orgId, tasks: { some: {} } },
      orderBy: { updatedAt: "desc" },
      take: 200,
      select: {
        id: true,
        title: true,
        state: true,
        _count: { select: { tasks: { where: heldTaskWhere } } },
      },
    }),
    db.task.findMany({
      where: { orgId, agentKind: { not: null } },
      distinct: ["agentKind"],
      select: { agentKind: true },
    }),
    db.runner.findMany({
      where: { orgId, tasks: { some: {} } },
      orderBy: { name: "asc" },
      take: 100,
      select: { id: true, name: true },
    }),
    db.$queryRaw<{ label: string }[]>`
      SELECT DISTINCT unnest(labels) AS label FROM "Task" WHERE "orgId" = ${orgId} ORDER BY 1 LIMIT 200`,
  ]);
  return {
    projects: projects.map((p) => ({ value: p.id, label: p.name })),
    // Worded like the spec's badge elsewhere, so a held spec is findable from the board too.
    specs: specs.map((s) => ({
      value: s.id,
      label:
        shownSpecState(s.state, s._count.tasks) === "NEEDS_ATTENTION"
          ? `${s.title} (needs attention)`
          : s.title,
    })),
    agents: [
      ...kinds.flatMap((k) =>
        k.agentKind ? [{ value: k.agentKind, label: agentKindLabels[k.agentKind] }] : [],
      ),
      ...runners.map((r) => ({ value: r.id, label: `Runner ${r.name}` })),
    ],
    labels: labels.map((l) => ({ value: l.label, label: l.label })),
  };
}
