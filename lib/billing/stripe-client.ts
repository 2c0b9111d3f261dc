import "server-only";
import Stripe from "stripe";
import { AppError } from "@/lib/api/app-error";
import { env } from "@/lib/env";

let cached: { fingerprint: string; client: Stripe } | undefined;

/**
 * The Stripe SDK configured from the environment, or null when billing is not configured.
 * STRIPE_API_HOST/PORT/PROTOCOL point it at another server (stripe-mock, the test fake).
 */
export function getStripe(): Stripe | null {
  const e = env();
  if (!e.STRIPE_SECRET_KEY) return null;
  const fingerprint = [
    e.STRIPE_SECRET_KEY,
    e.STRIPE_API_HOST,
    e.STRIPE_API_PORT,
    e.STRIPE_API_PROTOCOL,
  ].join("|");
  if (cached?.fingerprint !== fingerprint) {
    cached = {
      fingerprint,
      client: new Stripe(e.STRIPE_SECRET_KEY, {
        host: e.STRIPE_API_HOST,
        port: e.STRIPE_API_PORT,
        protocol: e.STRIPE_API_PROTOCOL,
        // Retries reuse the request's idempotency key, so a retried POST is never applied twice.
        maxNetworkRetries: 2,
        timeout: 20_000,
        telemetry: false,
        appInfo: { name: "Trellis" },
      }),
    };
  }
  return cached.client;
}

/** The configured Stripe SDK; UNAVAILABLE with a plain message when billing is not configured. */
export function requireStripe(): Stripe {
  const stripe = getStripe();
  if (!stripe) {
    throw new AppError(
      "UNAVAILABLE",
      "Billing is not configured on this server (STRIPE_SECRET_KEY is not set).",
    );
  }
  return stripe;
}
