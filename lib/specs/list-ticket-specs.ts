import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { heldTaskWhere, shownSpecState } from "./spec-attention";

/**
 * The specs opened for a ticket, newest first, each with the state to show (needs attention
 * included) and where its work is (branch, pull request).
 */
export async function listTicketSpecs(db: Db, options: { actor: Actor; ticketId: string }) {
  assertCan(options.actor, "read");
  const specs = await db.spec.findMany({
    where: { orgId: options.actor.orgId, ticketId: options.ticketId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      title: true,
      state: true,
      createdAt: true,
      failureReason: true,
      integrationBranch: true,
      pullRequestNumber: true,
      pullRequestUrl: true,
      _count: { select: { tasks: { where: heldTaskWhere } } },
    },
  });
  return specs.map(({ _count, ...spec }) => ({
    ...spec,
    shownState: shownSpecState(spec.state, _count.tasks),
  }));
}
