import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { countRuns } from "./count-runs";
import { limitReached } from "./limit-reached";
import { billingPeriod, isBillingBlocked, planLimits, planName } from "./plans";

type Tx = Pick<Prisma.TransactionClient, "organization" | "run">;

const dayFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/**
 * Refuses to start new work (a spec phase, a task run) when the organization's payment is
 * overdue or its plan's runs for this month are used up: LIMIT_REACHED with a message that
 * names the limit and details.upgradeUrl (with billing on). A plan without a run limit
 * (SELF_HOSTED) is never refused for runs. Every domain function that starts work calls it,
 * so the web app, the API and integrations are all held to the same rule; the scheduler
 * enforces the same limits in its claim (lib/tasks/claim-tasks.ts).
 */
export async function assertCanStartWork(
  tx: Tx,
  options: { orgId: string; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  const org = await tx.organization.findUnique({
    where: { id: options.orgId },
    select: { slug: true, name: true, plan: true, subscriptionStatus: true },
  });
  if (!org) throw notFound("Organization");
  const plan = planName(org.plan);
  if (isBillingBlocked(org.subscriptionStatus)) {
    throw limitReached({
      orgSlug: org.slug,
      limit: "payment",
      plan: org.plan,
      message: `Payment for ${org.name}'s ${plan} plan is overdue, so new runs are paused.`,
      upgrade: "Update the payment method on the billing page to resume.",
    });
  }
  const allowed = planLimits(org.plan).runsPerMonth;
  if (allowed === null) return;
  const used = await countRuns(tx, { orgId: options.orgId, now });
  if (used >= allowed) {
    const resets = dayFormat.format(billingPeriod(now).end);
    throw limitReached({
      orgSlug: org.slug,
      limit: "runsPerMonth",
      plan: org.plan,
      used,
      allowed,
      message: `${org.name} has used all ${allowed} runs of the ${plan} plan this month.`,
      upgrade: `Upgrade for more runs, or wait until ${resets}.`,
      withoutBilling: `Billing is off on this server; runs start again on ${resets}.`,
    });
  }
}
