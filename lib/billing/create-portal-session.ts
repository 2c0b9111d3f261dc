import "server-only";
import { AppError, notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { requireStripe } from "./stripe-client";

/** "Manage billing": a Stripe customer portal session for the organization's customer; returns its URL. */
export async function createPortalSession(
  db: Db,
  options: { actor: Actor },
): Promise<{ url: string }> {
  const { actor } = options;
  assertCan(actor, "manage");
  const stripe = requireStripe();
  const org = await db.organization.findUnique({
    where: { id: actor.orgId },
    select: { name: true, slug: true, stripeCustomerId: true },
  });
  if (!org) throw notFound("Organization");
  if (!org.stripeCustomerId) {
    throw new AppError(
      "CONFLICT",
      `${org.name} has no billing account yet. Upgrade to a paid plan first.`,
    );
  }
  const session = await stripe.billingPortal.sessions.create({
    customer: org.stripeCustomerId,
    return_url: `${appUrl()}/${org.slug}/settings/billing`,
  });
  return { url: session.url };
}
