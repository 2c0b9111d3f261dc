import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { type UpdateTicketInput, updateTicketSchema } from "./ticket-schema";

/** Edits a ticket's fields or status; closing stamps closedAt, reopening clears it. */
export async function updateTicket(db: Db, options: { actor: Actor; input: UpdateTicketInput }) {
  const { actor } = options;
  assertCan(actor, "write");
  const { ticketId, ...fields } = updateTicketSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const existing = await tx.ticket.findFirst({
      where: { id: ticketId, orgId: actor.orgId },
      select: { id: true, status: true, projectId: true },
    });
    if (!existing) throw notFound("Ticket");
    const closing = fields.status === "CLOSED" && existing.status !== "CLOSED";
    const reopening =
      fields.status !== undefined && fields.status !== "CLOSED" && existing.status === "CLOSED";
    const ticket = await tx.ticket.update({
      where: { id: ticketId },
      data: {
        ...fields,
        ...(closing ? { closedAt: new Date() } : {}),
        ...(reopening ? { closedAt: null } : {}),
      },
    });
    const type = closing ? "ticket.closed" : reopening ? "ticket.reopened" : "ticket.updated";
    await recordActivity(tx, {
      orgId: actor.orgId,
      type,
      actorId: actor.userId,
      projectId: existing.projectId,
      ticketId,
      data: {
        changed: Object.keys(fields),
        ...(fields.status ? { from: existing.status, to: fields.status } : {}),
      },
    });
    return ticket;
  });
}
