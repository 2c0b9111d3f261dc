import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** The specs opened for a ticket, newest first, with where their work is (branch, pull request). */
export async function listTicketSpecs(db: Db, options: { actor: Actor; ticketId: string }) {
  assertCan(options.actor, "read");
  return db.spec.findMany({
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
    },
  });
}
