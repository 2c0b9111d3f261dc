import "server-only";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** How many deliveries Settings shows. */
export const RECENT_DELIVERIES = 50;

/**
 * The organization's latest callback deliveries, newest first, with their ticket. Admins and
 * owners only: callback URLs often carry a token in their query string.
 */
export async function listCallbackDeliveries(db: Db, options: { actor: Actor }) {
  const { actor } = options;
  assertCan(actor, "manage");
  return db.callbackDelivery.findMany({
    where: { orgId: actor.orgId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: RECENT_DELIVERIES,
    select: {
      id: true,
      url: true,
      status: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      deliveredAt: true,
      createdAt: true,
      ticket: { select: { id: true, number: true, title: true } },
    },
  });
}
