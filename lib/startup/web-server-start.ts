import "server-only";
import { reconcileBillingMode } from "@/lib/billing/reconcile-billing-mode";
import { db } from "@/lib/db/client";
import { env, stripeEnabled } from "@/lib/env";
import { childLogger } from "@/lib/logger";
import { startWarmUp } from "@/lib/warm-up/start-warm-up";

/**
 * What a web server does once at start (instrumentation.ts, Node.js only): put organizations on
 * the plan for this server's billing mode (lib/billing/reconcile-billing-mode.ts: Self-hosted,
 * without plan limits, while Stripe is not configured), then warm the main pages' queries in
 * the background.
 */
export async function onWebServerStart(): Promise<void> {
  if (!env().DATABASE_URL) return;
  const billingOn = stripeEnabled();
  const log = childLogger({ module: "billing" });
  try {
    const moved = await reconcileBillingMode(db(), { billingOn });
    if (moved.toSelfHosted || moved.toFree) {
      log.info(
        { billingOn, ...moved },
        billingOn
          ? "billing is on: Self-hosted organizations moved to the Free plan"
          : "billing is off: Free organizations moved to the Self-hosted plan (no plan limits)",
      );
    }
  } catch (error) {
    log.warn({ err: error }, "putting organizations on this server's billing mode failed");
  }
  startWarmUp();
}
