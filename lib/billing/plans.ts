import { env } from "@/lib/env";
import type { Plan, SubscriptionStatus } from "@/lib/generated/prisma/enums";

/**
 * What a plan allows an organization: agents running at once, task runs a month, projects.
 * null: no limit.
 */
export interface PlanLimits {
  /** Tasks of the organization RUNNING or VERIFYING at the same time; the scheduler never exceeds it. */
  concurrentAgents: number;
  /** Agent runs (Run rows) started in a calendar month (UTC); see billingPeriod. */
  runsPerMonth: number | null;
  projects: number | null;
}

/**
 * The plan table: one place for every limit the product enforces. The SQL copies are
 * trellis_agent_cap and trellis_run_cap (migration self_hosted_plan).
 */
export const plans: Readonly<Record<Plan, Readonly<PlanLimits>>> = {
  FREE: { concurrentAgents: 1, runsPerMonth: 20, projects: 1 },
  PRO: { concurrentAgents: 5, runsPerMonth: 500, projects: 10 },
  TEAM: { concurrentAgents: 20, runsPerMonth: 5_000, projects: 100 },
  // Billing is off on this server (no STRIPE_SECRET_KEY): nothing to sell, so no plan limits.
  // The agent cap stays a number: the fair queue keeps each organization's line at its first
  // `room` queued tasks (room = cap − running), so an unbounded cap would put every queued task
  // in line and make each refill rewrite them all. The workers' concurrency is the real limit
  // (AGENT_CONCURRENCY per worker); 50 is above what one installation runs at once.
  SELF_HOSTED: { concurrentAgents: 50, runsPerMonth: null, projects: null },
};

/** How the billing page presents a plan. */
export interface PlanDescription {
  name: string;
  /** List price in US dollars a month (what the Stripe price should say too). */
  priceUsdPerMonth: number;
  summary: string;
  features: readonly string[];
}

export const planDescriptions: Readonly<Record<Plan, PlanDescription>> = {
  FREE: {
    name: "Free",
    priceUsdPerMonth: 0,
    summary: "Try Trellis on one repository.",
    features: [
      "Spec pipeline with approval gates",
      "Offline, command-line or Claude agents",
      "Self-hosted runners",
    ],
  },
  PRO: {
    name: "Pro",
    priceUsdPerMonth: 49,
    summary: "For an engineer or a small team shipping every day.",
    features: [
      "Everything in Free",
      "Agent tokens billed as metered usage",
      "Invoices and payment in the customer portal",
    ],
  },
  TEAM: {
    name: "Team",
    priceUsdPerMonth: 199,
    summary: "For teams running many agents in parallel.",
    features: ["Everything in Pro"],
  },
  SELF_HOSTED: {
    name: "Self-hosted",
    priceUsdPerMonth: 0,
    summary: "Billing is off on this server; no plan limits.",
    features: ["Everything in Team", "As many projects and runs as the server takes"],
  },
};

/**
 * The plans Checkout sells, from smallest to largest: an upgrade is a move to the right.
 * SELF_HOSTED is not among them: it is the plan of every organization while billing is off.
 */
export const planOrder: readonly Exclude<Plan, "SELF_HOSTED">[] = ["FREE", "PRO", "TEAM"];

/** The plan of an organization that has no subscription: Free, or Self-hosted while billing is off. */
export function unpaidPlan(billingOn: boolean): Plan {
  return billingOn ? "FREE" : "SELF_HOSTED";
}

/** The limits of a plan. */
export function planLimits(plan: Plan): Readonly<PlanLimits> {
  return plans[plan];
}

/** The plan's display name ("Pro"). */
export function planName(plan: Plan): string {
  return planDescriptions[plan].name;
}

/** Plans that Checkout sells, with the Stripe price configured for each (unset ones are absent). */
export function stripePrices(): Partial<Record<Plan, string>> {
  const e = env();
  return {
    ...(e.STRIPE_PRICE_PRO ? { PRO: e.STRIPE_PRICE_PRO } : {}),
    ...(e.STRIPE_PRICE_TEAM ? { TEAM: e.STRIPE_PRICE_TEAM } : {}),
  };
}

/** The plan a Stripe price sells, or null for a price this server does not know. */
export function planOfPrice(priceId: string): Plan | null {
  const found = Object.entries(stripePrices()).find(([, id]) => id === priceId);
  return found ? (found[0] as Plan) : null;
}

const stripeStatuses: Record<string, SubscriptionStatus> = {
  active: "ACTIVE",
  trialing: "TRIALING",
  past_due: "PAST_DUE",
  unpaid: "UNPAID",
  canceled: "CANCELED",
  incomplete: "INCOMPLETE",
  incomplete_expired: "INCOMPLETE_EXPIRED",
  paused: "PAUSED",
};

/** Our status for a Stripe subscription status (an unknown future one counts as not paying). */
export function subscriptionStatusOf(stripeStatus: string): SubscriptionStatus {
  return stripeStatuses[stripeStatus] ?? "INCOMPLETE";
}

/**
 * Statuses in which the subscription's plan applies. Past due and unpaid keep the plan (the
 * customer is still subscribed and may pay) but block new runs; an incomplete, expired, paused or
 * canceled subscription gives nothing, so the organization is back on Free.
 */
const planGranting = new Set<SubscriptionStatus>(["ACTIVE", "TRIALING", "PAST_DUE", "UNPAID"]);

/** Statuses in which an organization may not start new runs until it pays. */
export const blockingStatuses: readonly SubscriptionStatus[] = ["PAST_DUE", "UNPAID"];

/** True when the organization's payment is overdue, so no new work may start. */
export function isBillingBlocked(status: SubscriptionStatus): boolean {
  return blockingStatuses.includes(status);
}

/** The plan an organization is on with a subscription in this status for this plan's price. */
export function effectivePlan(status: SubscriptionStatus, pricePlan: Plan): Plan {
  return planGranting.has(status) ? pricePlan : "FREE";
}

/** The month that runs are counted in: calendar months in UTC, the same for every organization. */
export function billingPeriod(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}
