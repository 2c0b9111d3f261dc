import "server-only";
import { z } from "zod";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { isBillingBlocked, planName, stripePrices } from "./plans";
import { requireStripe } from "./stripe-client";

export const createCheckoutSessionSchema = z.object({
  plan: z.enum(["PRO", "TEAM"], { error: "Choose the Pro or Team plan" }),
});
export type CreateCheckoutSessionInput = z.input<typeof createCheckoutSessionSchema>;

/**
 * Starts an upgrade: a Stripe Checkout session (subscription mode) for the plan's price, for
 * the organization's Stripe customer (created on first use and kept), with the organization's
 * id as client_reference_id. Returns the Checkout URL to send the browser to. The plan
 * changes when Stripe's webhook says the subscription exists, not here.
 */
export async function createCheckoutSession(
  db: Db,
  options: { actor: Actor; input: CreateCheckoutSessionInput },
): Promise<{ url: string }> {
  const { actor } = options;
  assertCan(actor, "manage");
  const { plan } = createCheckoutSessionSchema.parse(options.input);
  const stripe = requireStripe();
  const price = stripePrices()[plan];
  if (!price) {
    throw new AppError("UNAVAILABLE", `The ${planName(plan)} plan has no Stripe price configured.`);
  }
  const org = await db.organization.findUnique({
    where: { id: actor.orgId },
    select: {
      id: true,
      name: true,
      slug: true,
      plan: true,
      subscriptionStatus: true,
      stripeCustomerId: true,
    },
  });
  if (!org) throw notFound("Organization");
  if (org.plan !== "FREE" || isBillingBlocked(org.subscriptionStatus)) {
    // A second subscription would bill twice; plan changes of a subscriber go through the portal.
    throw new AppError(
      "CONFLICT",
      `${org.name} already has a ${planName(org.plan)} subscription. Use "Manage billing" to change the plan or payment method.`,
    );
  }

  let customer = org.stripeCustomerId;
  if (!customer) {
    // The idempotency key makes two clicks at once create one customer.
    const created = await stripe.customers.create(
      { name: org.name, metadata: { orgId: org.id } },
      { idempotencyKey: `trellis-customer-${org.id}` },
    );
    await db.organization.updateMany({
      where: { id: org.id, stripeCustomerId: null },
      data: { stripeCustomerId: created.id },
    });
    customer = created.id;
  }

  const billingPage = `${appUrl()}/${org.slug}/settings/billing`;
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: org.id,
    line_items: [{ price, quantity: 1 }],
    success_url: `${billingPage}?checkout=success`,
    cancel_url: `${billingPage}?checkout=cancelled`,
    metadata: { orgId: org.id },
    subscription_data: { metadata: { orgId: org.id } },
  });
  if (!session.url) throw new AppError("UNAVAILABLE", "Stripe did not return a Checkout URL.");
  return { url: session.url };
}
