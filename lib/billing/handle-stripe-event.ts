import "server-only";
import Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { subscriptionState, syncSubscription } from "./sync-subscription";

/** The events Trellis acts on; Stripe may send others, which are acknowledged and ignored. */
export const handledStripeEvents = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
]);

export type StripeEventOutcome = "applied" | "duplicate" | "ignored";

/** Which subscription an event is about, whose customer, and the organization it names. */
interface EventRef {
  subscriptionId: string | null;
  customerId: string | null;
  orgHint: string | null;
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === "string" ? value : value.id;

function refOf(event: Stripe.Event): EventRef {
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      return {
        subscriptionId: idOf(session.subscription),
        customerId: idOf(session.customer),
        orgHint: session.client_reference_id,
      };
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const subscription = event.data.object;
      return {
        subscriptionId: subscription.id,
        customerId: idOf(subscription.customer),
        orgHint: subscription.metadata?.orgId ?? null,
      };
    }
    case "invoice.paid":
    case "invoice.payment_failed": {
      const invoice = event.data.object;
      return {
        subscriptionId: idOf(invoice.parent?.subscription_details?.subscription),
        customerId: idOf(invoice.customer),
        orgHint: invoice.parent?.subscription_details?.metadata?.orgId ?? null,
      };
    }
    default:
      return { subscriptionId: null, customerId: null, orgHint: null };
  }
}

/**
 * The organization an event belongs to: the one whose Stripe customer it is, else the one
 * it names (client_reference_id, metadata.orgId) provided that organization has no other
 * customer. An event about someone else's customer belongs to nobody.
 */
async function findOrgId(db: Db, ref: EventRef): Promise<string | null> {
  if (ref.customerId) {
    const owner = await db.organization.findUnique({
      where: { stripeCustomerId: ref.customerId },
      select: { id: true },
    });
    if (owner) return owner.id;
  }
  if (!ref.orgHint) return null;
  const named = await db.organization.findUnique({
    where: { id: ref.orgHint },
    select: { id: true, stripeCustomerId: true },
  });
  return named && (named.stripeCustomerId === null || named.stripeCustomerId === ref.customerId)
    ? named.id
    : null;
}

/**
 * Applies a verified Stripe event. Idempotent by event id: the WebhookDelivery row commits in
 * the same transaction as the change, so a duplicate (even a concurrent one) changes nothing.
 * Order-tolerant: the event only says which subscription changed; its current state is read
 * from the API, under a per-organization lock, and written as is — so events arriving late,
 * twice or out of order all leave the organization as Stripe has it now.
 */
export async function handleStripeEvent(
  db: Db,
  options: { event: Stripe.Event; stripe: Stripe },
): Promise<StripeEventOutcome> {
  const { event, stripe } = options;
  if (!handledStripeEvents.has(event.type)) return "ignored";
  const ref = refOf(event);
  const orgId = ref.subscriptionId ? await findOrgId(db, ref) : null;

  return db.$transaction(
    async (tx) => {
      const delivery = await tx.webhookDelivery.createMany({
        data: [{ provider: "STRIPE", deliveryId: event.id, event: event.type }],
        skipDuplicates: true,
      });
      if (delivery.count === 0) return "duplicate";
      if (!ref.subscriptionId || !orgId) {
        logger.info(
          { eventId: event.id, type: event.type, customerId: ref.customerId },
          "stripe event for no known subscription; acknowledged",
        );
        return "ignored";
      }
      // One sync per organization at a time, each reading the API after the previous wrote:
      // the last write is always the latest state.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stripe-sync:${orgId}`}, 0))`;
      let subscription: Stripe.Subscription;
      try {
        subscription = await stripe.subscriptions.retrieve(ref.subscriptionId);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
          logger.warn(
            { eventId: event.id, subscriptionId: ref.subscriptionId },
            "unknown subscription",
          );
          return "ignored";
        }
        throw error;
      }
      const { ignored } = await syncSubscription(tx, {
        orgId,
        subscription: subscriptionState(subscription),
      });
      return ignored ? "ignored" : "applied";
    },
    // The transaction waits for the API read; Stripe's own timeout and retries bound it.
    { timeout: 60_000, maxWait: 10_000 },
  );
}
