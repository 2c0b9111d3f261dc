import "server-only";
import type { Db } from "@/lib/db/client";
import { stripeEnabled } from "@/lib/env";
import { countRuns } from "./count-runs";
import { isBillingBlocked, planLimits, planName } from "./plans";

export interface BillingNotice {
  kind: "payment" | "runsPerMonth";
  message: string;
  /** Whether the billing page can lift it (billing is on); else the banner links nowhere. */
  billingPage: boolean;
}

/**
 * Why the organization cannot start new runs right now (overdue payment, or this month's runs
 * used up), for the banner on every page of the organization; null when it can. An
 * organization on a plan without a run limit (SELF_HOSTED, billing off) only ever gets one for
 * an overdue payment.
 */
export async function findBillingNotice(
  db: Db,
  options: { orgId: string; now?: Date },
): Promise<BillingNotice | null> {
  const org = await db.organization.findUnique({
    where: { id: options.orgId },
    select: { plan: true, subscriptionStatus: true },
  });
  if (!org) return null;
  const billingPage = stripeEnabled();
  if (isBillingBlocked(org.subscriptionStatus)) {
    return {
      kind: "payment",
      message: `Payment for the ${planName(org.plan)} plan is overdue, so new runs are paused. ${
        billingPage
          ? "Update the payment method to resume."
          : "Billing is off on this server, so the payment cannot be updated here."
      }`,
      billingPage,
    };
  }
  const allowed = planLimits(org.plan).runsPerMonth;
  if (allowed !== null && (await countRuns(db, options)) >= allowed) {
    return {
      kind: "runsPerMonth",
      message: `All ${allowed} runs of the ${planName(org.plan)} plan are used this month, so queued tasks wait. ${
        billingPage
          ? "Upgrade for more runs."
          : "Billing is off on this server; runs start again next month."
      }`,
      billingPage,
    };
  }
  return null;
}
