import { env, stripeEnabled } from "@/lib/env";

/**
 * Next.js calls this once when a server starts. On Node.js it puts organizations on the plan for
 * this server's billing mode (lib/billing/reconcile-billing-mode.ts: Self-hosted, without plan
 * limits, while Stripe is not configured), then warms the main pages' read queries in the
 * background (lib/warm-up/warm-queries.ts), so the first person to open a page after a start or
 * a deploy does not wait for Prisma to plan them and the pool to connect.
 */
export async function register(): Promise<void> {
  if (env().NEXT_RUNTIME !== "nodejs" || !env().DATABASE_URL) return;
  const [{ db }, { warmQueries }, { reconcileBillingMode }, { childLogger }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/warm-up/warm-queries"),
    import("@/lib/billing/reconcile-billing-mode"),
    import("@/lib/logger"),
  ]);
  const billingOn = stripeEnabled();
  const billingLog = childLogger({ module: "billing" });
  try {
    const moved = await reconcileBillingMode(db(), { billingOn });
    if (moved.toSelfHosted || moved.toFree) {
      billingLog.info(
        { billingOn, ...moved },
        billingOn
          ? "billing is on: Self-hosted organizations moved to the Free plan"
          : "billing is off: Free organizations moved to the Self-hosted plan (no plan limits)",
      );
    }
  } catch (error) {
    billingLog.warn({ err: error }, "putting organizations on this server's billing mode failed");
  }
  const log = childLogger({ module: "warm-up" });
  const started = performance.now();
  void warmQueries(db()).then(
    (count) =>
      log.info({ queries: count, ms: Math.round(performance.now() - started) }, "queries warmed"),
    (error: unknown) => log.warn({ err: error }, "warming the queries failed"),
  );
}
