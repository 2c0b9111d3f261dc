import { AppError } from "@/lib/api/app-error";
import { appUrl, stripeEnabled } from "@/lib/env";
import type { Plan } from "@/lib/generated/prisma/enums";

/** Which limit refused the work: a plan limit, or a subscription whose payment is overdue. */
export type LimitKind = "projects" | "runsPerMonth" | "concurrentAgents" | "payment";

/** The organization's billing page, where the plan is upgraded or the payment fixed. */
export function billingUrl(orgSlug: string): string {
  return `${appUrl()}/${orgSlug}/settings/billing`;
}

/**
 * LIMIT_REACHED naming the limit. With billing on, the message ends with the way out on the
 * billing page (`upgrade`) and details.upgradeUrl points there; with billing off there is no
 * billing page to send anyone to, so it ends with `withoutBilling` instead and has no link.
 */
export function limitReached(options: {
  orgSlug: string;
  limit: LimitKind;
  plan: Plan;
  /** What was reached, as a sentence. */
  message: string;
  /** The way out through the billing page (upgrade, pay). */
  upgrade: string;
  /** The way out while billing is off on this server. */
  withoutBilling?: string;
  used?: number;
  allowed?: number;
}): AppError {
  const { orgSlug, message, upgrade, withoutBilling, ...rest } = options;
  if (!stripeEnabled()) {
    const way = withoutBilling ?? "Billing is off on this server, so the plan cannot be changed.";
    return new AppError("LIMIT_REACHED", `${message} ${way}`, rest);
  }
  return new AppError("LIMIT_REACHED", `${message} ${upgrade}`, {
    ...rest,
    upgradeUrl: billingUrl(orgSlug),
  });
}
