import "server-only";
import type { Db } from "@/lib/db/client";
import { createSpec } from "@/lib/specs/create-spec";
import { startSpec } from "@/lib/specs/start-spec";
import type { IntakeStartRequest } from "./intake-event";

/**
 * Opens the enqueued ticket's spec and starts its requirements phase. Idempotent, so a retried
 * or repeated run does not open a second spec: an existing spec is reused, and started only while
 * it is still a draft.
 */
export async function startIntakeSpec(db: Db, request: IntakeStartRequest) {
  const { actor, ticketId } = request;
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, orgId: actor.orgId },
    select: {
      specs: { orderBy: { createdAt: "asc" }, take: 1, select: { id: true, state: true } },
    },
  });
  if (!ticket) return { skipped: "ticket not found" };
  const spec = ticket.specs[0] ?? (await createSpec(db, { actor, input: { ticketId } }));
  if (spec.state === "DRAFT") await startSpec(db, { actor, input: { specId: spec.id } });
  return { specId: spec.id };
}
