import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** A ticket of the actor's organization with its project and author; others are NOT_FOUND. */
export async function getTicket(db: Db, options: { actor: Actor; ticketId: string }) {
  assertCan(options.actor, "read");
  const ticket = await db.ticket.findFirst({
    where: { id: options.ticketId, orgId: options.actor.orgId },
    include: {
      project: { select: { id: true, name: true, slug: true } },
      createdBy: { select: { id: true, name: true, email: true } },
    },
  });
  if (!ticket) throw notFound("Ticket");
  return ticket;
}
