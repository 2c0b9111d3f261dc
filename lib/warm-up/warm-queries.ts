import "server-only";
import { listActivity } from "@/lib/activity/list-activity";
import { listAgentActivity } from "@/lib/agents/list-agent-activity";
import { findBillingNotice } from "@/lib/billing/find-billing-notice";
import { getCostSummary } from "@/lib/costs/get-cost-summary";
import type { Db } from "@/lib/db/client";
import { getActor } from "@/lib/orgs/get-actor";
import { listOrganizations } from "@/lib/orgs/list-organizations";
import type { Actor } from "@/lib/orgs/roles";
import { listProjects } from "@/lib/projects/list-projects";
import { latestEventSeq } from "@/lib/realtime/latest-event-seq";
import { getTaskGraph } from "@/lib/tasks/get-task-graph";
import { listBoardFilterOptions } from "@/lib/tasks/list-board-filter-options";
import { listBoardTasks } from "@/lib/tasks/list-board-tasks";
import { listGraphSpecs } from "@/lib/tasks/list-graph-specs";

/** Nobody: every query below is scoped to this organization and user, which do not exist. */
const nobody: Actor = { userId: "usr_warm_up", orgId: "org_warm_up", role: "VIEWER" };

/**
 * Runs the read queries of the pages people open first (the shell, board, graph, activity,
 * agents, costs) once, for an organization and a user that do not exist: every answer is empty
 * and nothing is written. Prisma plans each query shape once and caches the plan, and the pool
 * opens its connections, so the first person to open a page after a start (a deploy) does not
 * wait for that. Errors are expected (a missing spec is NOT_FOUND) and ignored.
 */
export async function warmQueries(db: Db): Promise<number> {
  const actor = nobody;
  const queries: Promise<unknown>[] = [
    getActor(db, { userId: actor.userId, orgSlug: "warm-up" }),
    db.user.findUnique({
      where: { id: actor.userId },
      select: { id: true, name: true, email: true, image: true },
    }),
    listOrganizations(db, actor.userId),
    listProjects(db, { actor, take: 50 }),
    findBillingNotice(db, { orgId: actor.orgId }),
    latestEventSeq(db, { actor }),
    listBoardTasks(db, { actor, filters: {} }),
    listBoardFilterOptions(db, { actor }),
    listGraphSpecs(db, { actor }),
    getTaskGraph(db, { actor, input: { specId: "spc_warm_up" } }),
    listActivity(db, { actor, input: {} }),
    listAgentActivity(db, { actor, logLines: 12, now: new Date() }),
    getCostSummary(db, { actor, input: {} }),
  ];
  const settled = await Promise.allSettled(queries);
  return settled.length;
}
