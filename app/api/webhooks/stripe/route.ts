// POST /api/webhooks/stripe — Stripe events: signature checked over the raw body (300 s tolerance),
// deduplicated by event id, applied from the subscription's current state in the API.
import { NextResponse } from "next/server";
import type Stripe from "stripe";
import { AppError } from "@/lib/api/app-error";
import { routeHandler } from "@/lib/api/route-handler";
import { handleStripeEvent } from "@/lib/billing/handle-stripe-event";
import { getStripe } from "@/lib/billing/stripe-client";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";

/** Stripe's recommended (and default) window: an older signature is treated as a replay. */
const TOLERANCE_SECONDS = 300;

export const POST = routeHandler(async (request: Request) => {
  const stripe = getStripe();
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!stripe || !secret) {
    throw new AppError("UNAVAILABLE", "Stripe webhooks are not configured on this server.");
  }
  // The signature covers the exact bytes Stripe sent: read the body as text, never re-serialised JSON.
  const body = await request.text();
  const signature = request.headers.get("stripe-signature");
  if (!signature) throw new AppError("INVALID", "Missing Stripe-Signature header.");
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, secret, TOLERANCE_SECONDS);
  } catch {
    throw new AppError(
      "INVALID",
      "The Stripe-Signature header does not match this payload, or it is more than 5 minutes old.",
    );
  }
  const outcome = await handleStripeEvent(db(), { event, stripe });
  return NextResponse.json({ received: true, outcome });
});
