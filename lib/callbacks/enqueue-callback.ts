import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SpecState } from "@/lib/generated/prisma/enums";

/** The states in which a ticket's work has ended, and the callback event each sends. */
const endEvents: Partial<Record<SpecState, string>> = {
  DONE: "ticket.done",
  FAILED: "ticket.failed",
  CANCELLED: "ticket.cancelled",
};

type Tx = Pick<Prisma.TransactionClient, "ticket" | "spec" | "callbackDelivery">;

/**
 * Writes a callback to the outbox when a spec of a ticket with a callback URL ends, inside the
 * transaction that ended it: the delivery exists exactly when the state change commits. The worker
 * delivers it (lib/callbacks/deliver-callbacks.ts). Does nothing for other states or tickets
 * without a callback URL.
 */
export async function enqueueTicketCallback(
  tx: Tx,
  options: { orgId: string; specId: string; ticketId: string | null; state: SpecState; now?: Date },
): Promise<{ id: string } | null> {
  const event = endEvents[options.state];
  if (!event || !options.ticketId) return null;
  const ticket = await tx.ticket.findFirst({
    where: { id: options.ticketId, orgId: options.orgId },
    select: { id: true, callbackUrl: true, idempotencyKey: true, intake: true },
  });
  if (!ticket?.callbackUrl) return null;
  const spec = await tx.spec.findFirst({
    where: { id: options.specId, orgId: options.orgId },
    select: { failureReason: true, integrationBranch: true, pullRequestUrl: true },
  });
  const intake =
    ticket.intake && typeof ticket.intake === "object" && !Array.isArray(ticket.intake)
      ? ticket.intake
      : {};
  const payload = {
    type: event,
    timestamp: (options.now ?? new Date()).toISOString(),
    data: {
      ticket_id: ticket.id,
      spec_id: options.specId,
      status: options.state.toLowerCase(),
      idempotency_key: ticket.idempotencyKey,
      failure_reason: spec?.failureReason ?? null,
      branch: spec?.integrationBranch ?? null,
      pull_request_url: spec?.pullRequestUrl ?? null,
      metadata: intake.metadata ?? {},
    },
  };
  return tx.callbackDelivery.create({
    data: { orgId: options.orgId, ticketId: ticket.id, url: ticket.callbackUrl, payload },
    select: { id: true },
  });
}
