import "server-only";
import type Stripe from "stripe";
import { recordActivity } from "@/lib/activity/record-activity";
import { notFound } from "@/lib/api/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { effectivePlan, planOfPrice, subscriptionStatusOf } from "./plans";

/** What Trellis keeps of a Stripe subscription, read from the API (never from an event). */
export interface SubscriptionState {
  id: string;
  customerId: string;
  /** Stripe's status: active, past_due, canceled, ... */
  status: string;
  priceId: string | null;
  currentPeriodEnd: Date | null;
}

/** The parts of a retrieved subscription that decide the organization's plan. */
export function subscriptionState(subscription: Stripe.Subscription): SubscriptionState {
  const items = subscription.items.data;
  // Billing periods live on the items (one here); the subscription's period ends with the last.
  const periodEnd = Math.max(0, ...items.map((item) => item.current_period_end ?? 0));
  return {
    id: subscription.id,
    customerId:
      typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    priceId: items[0]?.price.id ?? null,
    currentPeriodEnd: periodEnd > 0 ? new Date(periodEnd * 1000) : null,
  };
}

const finished = new Set(["canceled", "incomplete_expired"]);

/**
 * Writes a subscription's current state onto its organization, inside the caller's transaction:
 * plan (from the price, while the subscription is in good standing or merely overdue), status,
 * period end. A finished subscription that is not the organization's current one (an old one,
 * replaced by a new checkout) is ignored. When the plan or the status changes, an activity
 * event is recorded; the queue's triggers put work held back by the old plan or status back in
 * line (migration fair_queue), so it starts without waiting.
 */
export async function syncSubscription(
  tx: Prisma.TransactionClient,
  options: { orgId: string; subscription: SubscriptionState },
): Promise<{ changed: boolean; ignored: boolean }> {
  const { orgId, subscription } = options;
  const org = await tx.organization.findUnique({
    where: { id: orgId },
    select: { plan: true, subscriptionStatus: true, stripeSubscriptionId: true },
  });
  if (!org) throw notFound("Organization");
  if (
    org.stripeSubscriptionId &&
    org.stripeSubscriptionId !== subscription.id &&
    finished.has(subscription.status)
  ) {
    return { changed: false, ignored: true };
  }
  const status = subscriptionStatusOf(subscription.status);
  const pricePlan = subscription.priceId ? planOfPrice(subscription.priceId) : null;
  if (subscription.priceId && !pricePlan) {
    // A price this server does not sell (STRIPE_PRICE_* changed?): keep the plan, say so.
    logger.warn(
      { orgId, subscriptionId: subscription.id, priceId: subscription.priceId },
      "subscription price matches no configured plan; plan left unchanged",
    );
  }
  const plan = effectivePlan(status, pricePlan ?? org.plan);
  await tx.organization.update({
    where: { id: orgId },
    data: {
      plan,
      subscriptionStatus: status,
      stripeSubscriptionId: subscription.id,
      stripeCustomerId: subscription.customerId,
      currentPeriodEnd: subscription.currentPeriodEnd,
    },
  });
  const changed = plan !== org.plan || status !== org.subscriptionStatus;
  if (changed) {
    await recordActivity(tx, {
      orgId,
      type: "org.billing_changed",
      actorKind: "SYSTEM",
      data: {
        plan: { from: org.plan, to: plan },
        status: { from: org.subscriptionStatus, to: status },
      },
    });
  }
  return { changed, ignored: false };
}
