import "server-only";
import { recordActivity } from "@/lib/activity/record-activity";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SpecState, TicketStatus } from "@/lib/generated/prisma/enums";

const live: ReadonlySet<SpecState> = new Set([
  "REQUIREMENTS_RUNNING",
  "REQUIREMENTS_REVIEW",
  "DESIGN_RUNNING",
  "DESIGN_REVIEW",
  "TASKS_RUNNING",
  "TASKS_REVIEW",
  "EXECUTING",
  "VERIFYING",
]);

/**
 * Keeps a ticket's status in step with its spec, inside the spec transition's transaction:
 * open → in progress when work on it starts; done when the spec is done, for a local
 * repository (the integration branch holds the work; a GitHub project's ticket is done when
 * its pull request is merged, lib/github/apply-pull-request-closed.ts); back to open when its
 * spec is cancelled and no other spec of it is under way. A ticket someone closed stays closed.
 */
export async function followSpecState(
  tx: Prisma.TransactionClient,
  options: { orgId: string; ticketId: string; specId: string; state: SpecState },
): Promise<void> {
  const ticket = await tx.ticket.findFirst({
    where: { id: options.ticketId, orgId: options.orgId },
    select: { status: true, projectId: true, project: { select: { repoKind: true } } },
  });
  if (!ticket) return;
  const to = await nextStatus(tx, { ...options, ticket });
  if (!to || to === ticket.status) return;
  const moved = await tx.ticket.updateMany({
    where: { id: options.ticketId, status: ticket.status },
    data: { status: to, closedAt: to === "DONE" ? new Date() : null },
  });
  if (moved.count === 0) return;
  await recordActivity(tx, {
    orgId: options.orgId,
    type: "ticket.updated",
    actorKind: "SYSTEM",
    projectId: ticket.projectId,
    ticketId: options.ticketId,
    specId: options.specId,
    data: { changed: ["status"], from: ticket.status, to },
  });
}

async function nextStatus(
  tx: Prisma.TransactionClient,
  options: {
    ticketId: string;
    specId: string;
    state: SpecState;
    ticket: { status: TicketStatus; project: { repoKind: string } };
  },
): Promise<TicketStatus | null> {
  const { ticket, state } = options;
  if (ticket.status === "CLOSED") return null;
  if (live.has(state)) return ticket.status === "OPEN" ? "IN_PROGRESS" : null;
  if (state === "DONE") return ticket.project.repoKind === "LOCAL" ? "DONE" : null;
  if (state === "CANCELLED" && ticket.status === "IN_PROGRESS") {
    const others = await tx.spec.count({
      where: { ticketId: options.ticketId, id: { not: options.specId }, state: { in: [...live] } },
    });
    return others === 0 ? "OPEN" : null;
  }
  return null;
}
