import "server-only";
import type { Db } from "@/lib/db/client";

/**
 * Puts organizations on the plan for this server's billing mode, at start-up: with billing off,
 * Free organizations that never had a Stripe customer or subscription move to Self-hosted (no
 * plan limits); with billing on, Self-hosted ones move back to Free, where Checkout sells the
 * paid plans. Paying organizations (Pro, Team) and Free ones that have a Stripe account are
 * left as they are. Idempotent; how many moved each way.
 */
export async function reconcileBillingMode(
  db: Db,
  options: { billingOn: boolean },
): Promise<{ toSelfHosted: number; toFree: number }> {
  if (options.billingOn) {
    const { count } = await db.organization.updateMany({
      where: { plan: "SELF_HOSTED" },
      data: { plan: "FREE" },
    });
    return { toSelfHosted: 0, toFree: count };
  }
  const { count } = await db.organization.updateMany({
    where: { plan: "FREE", stripeCustomerId: null, stripeSubscriptionId: null },
    data: { plan: "SELF_HOSTED" },
  });
  return { toSelfHosted: count, toFree: 0 };
}
