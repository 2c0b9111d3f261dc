import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { countRuns } from "./count-runs";
import { billingPeriod, isBillingBlocked, planLimits } from "./plans";

/** The billing page's data: plan, subscription, and this month's usage against the limits. */
export async function getBillingOverview(db: Db, options: { actor: Actor; now?: Date }) {
  const { actor } = options;
  assertCan(actor, "read");
  const now = options.now ?? new Date();
  const period = billingPeriod(now);
  const org = await db.organization.findUnique({
    where: { id: actor.orgId },
    select: {
      plan: true,
      subscriptionStatus: true,
      currentPeriodEnd: true,
      stripeCustomerId: true,
      activeTasks: true,
      _count: { select: { projects: true } },
    },
  });
  if (!org) throw notFound("Organization");
  const [runs, tokens] = await Promise.all([
    countRuns(db, { orgId: actor.orgId, now }),
    db.usageRecord.aggregate({
      where: { orgId: actor.orgId, createdAt: { gte: period.start, lt: period.end } },
      _sum: { inputTokens: true, outputTokens: true, costUsd: true },
    }),
  ]);
  return {
    plan: org.plan,
    limits: planLimits(org.plan),
    subscriptionStatus: org.subscriptionStatus,
    blocked: isBillingBlocked(org.subscriptionStatus),
    currentPeriodEnd: org.currentPeriodEnd,
    hasBillingAccount: org.stripeCustomerId !== null,
    period,
    usage: {
      runs,
      projects: org._count.projects,
      activeAgents: org.activeTasks,
      inputTokens: tokens._sum.inputTokens ?? 0,
      outputTokens: tokens._sum.outputTokens ?? 0,
      costUsd: Number(tokens._sum.costUsd ?? 0),
    },
  };
}

export type BillingOverview = Awaited<ReturnType<typeof getBillingOverview>>;
