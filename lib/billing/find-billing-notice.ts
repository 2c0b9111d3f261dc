import "server-only";
import type { Db } from "@/lib/db/client";
import { countRuns } from "./count-runs";
import { isBillingBlocked, planLimits, planName } from "./plans";

export interface BillingNotice {
  kind: "payment" | "runsPerMonth";
  message: string;
}

/**
 * Why the organization cannot start new runs right now (overdue payment, or this month's runs
 * used up), for the banner on every page of the organization; null when it can.
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
  if (isBillingBlocked(org.subscriptionStatus)) {
    return {
      kind: "payment",
      message: `Payment for the ${planName(org.plan)} plan is overdue, so new runs are paused. Update the payment method to resume.`,
    };
  }
  const allowed = planLimits(org.plan).runsPerMonth;
  if ((await countRuns(db, options)) >= allowed) {
    return {
      kind: "runsPerMonth",
      message: `All ${allowed} runs of the ${planName(org.plan)} plan are used this month, so queued tasks wait. Upgrade for more runs.`,
    };
  }
  return null;
}
