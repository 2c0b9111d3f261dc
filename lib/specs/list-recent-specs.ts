import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

export interface RecentSpec {
  id: string;
  title: string;
  state: string;
}

/**
 * The latest-updated specs of each of these projects of the organization (at most `perProject`
 * each, up to 200), and how many each has; projects of another organization are left out.
 */
export async function listRecentSpecs(
  db: Db,
  options: { actor: Actor; projectIds: string[]; perProject?: number },
): Promise<Record<string, { specs: RecentSpec[]; total: number }>> {
  assertCan(options.actor, "read");
  if (options.projectIds.length === 0) return {};
  const projects = await db.project.findMany({
    where: { orgId: options.actor.orgId, id: { in: options.projectIds } },
    select: {
      id: true,
      _count: { select: { specs: true } },
      specs: {
        orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
        take: Math.min(options.perProject ?? 8, 200),
        select: { id: true, title: true, state: true },
      },
    },
  });
  return Object.fromEntries(projects.map((p) => [p.id, { specs: p.specs, total: p._count.specs }]));
}
