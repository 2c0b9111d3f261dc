import { AppError } from "@/lib/api/app-error";
import { appUrl } from "@/lib/env";
import type { Plan } from "@/lib/generated/prisma/enums";

/** Which limit refused the work: a plan limit, or a subscription whose payment is overdue. */
export type LimitKind = "projects" | "runsPerMonth" | "concurrentAgents" | "payment";

/** The organization's billing page, where the plan is upgraded or the payment fixed. */
export function billingUrl(orgSlug: string): string {
  return `${appUrl()}/${orgSlug}/settings/billing`;
}

/** LIMIT_REACHED naming the limit, with the billing page to upgrade on (details.upgradeUrl). */
export function limitReached(options: {
  orgSlug: string;
  limit: LimitKind;
  plan: Plan;
  message: string;
  used?: number;
  allowed?: number;
}): AppError {
  const { orgSlug, message, ...rest } = options;
  return new AppError("LIMIT_REACHED", message, { ...rest, upgradeUrl: billingUrl(orgSlug) });
}
