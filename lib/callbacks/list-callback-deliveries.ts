import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** How many deliveries Settings shows. */
export const RECENT_DELIVERIES = 50;

/** What a delivery is shown with, in Settings and the REST API. */
export const callbackDeliverySelect = {
  id: true,
  url: true,
  status: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
  deliveredAt: true,
  createdAt: true,
  ticket: { select: { id: true, number: true, title: true } },
} as const;

/**
 * The organization's callback deliveries, newest first, with their ticket; optionally one
 * ticket's only, and `cursor` (a delivery id of this organization) continues after that delivery.
 * Admins and owners only: callback URLs often carry a token in their query string.
 */
export async function listCallbackDeliveries(
  db: Db,
  options: { actor: Actor; ticketId?: string; take?: number; cursor?: string },
) {
  const { actor } = options;
  assertCan(actor, "manage");
  return db.callbackDelivery.findMany({
    where: { orgId: actor.orgId, ...(options.ticketId ? { ticketId: options.ticketId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.take ?? RECENT_DELIVERIES, 200),
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    select: callbackDeliverySelect,
  });
}
