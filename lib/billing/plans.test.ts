import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import {
  billingPeriod,
  effectivePlan,
  isBillingBlocked,
  planOfPrice,
  plans,
  subscriptionStatusOf,
} from "./plans";

const saved = { pro: process.env.STRIPE_PRICE_PRO, team: process.env.STRIPE_PRICE_TEAM };
afterEach(() => {
  for (const [key, value] of [
    ["STRIPE_PRICE_PRO", saved.pro],
    ["STRIPE_PRICE_TEAM", saved.team],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvForTests();
});

describe("plans", () => {
  it("grow from Free to Pro to Team in every limit", () => {
    for (const limit of ["concurrentAgents", "runsPerMonth", "projects"] as const) {
      expect(plans.FREE[limit]).toBeLessThan(plans.PRO[limit] as number);
      expect(plans.PRO[limit]).toBeLessThan(plans.TEAM[limit] as number);
    }
    expect(plans.FREE).toEqual({ concurrentAgents: 1, runsPerMonth: 20, projects: 1 });
  });

  it("has no project or run limit on Self-hosted, and more agents at once than Team", () => {
    expect(plans.SELF_HOSTED).toMatchObject({ runsPerMonth: null, projects: null });
    expect(plans.SELF_HOSTED.concurrentAgents).toBeGreaterThan(plans.TEAM.concurrentAgents);
  });

  it("finds the plan of a configured Stripe price, and none for another price", () => {
    process.env.STRIPE_PRICE_PRO = "price_pro_x";
    process.env.STRIPE_PRICE_TEAM = "price_team_y";
    resetEnvForTests();
    expect(planOfPrice("price_pro_x")).toBe("PRO");
    expect(planOfPrice("price_team_y")).toBe("TEAM");
    expect(planOfPrice("price_other")).toBeNull();
  });

  it("keeps the plan while the subscription is paid or merely overdue, and blocks runs while overdue", () => {
    const cases = [
      ["active", "ACTIVE", "PRO", false],
      ["trialing", "TRIALING", "PRO", false],
      ["past_due", "PAST_DUE", "PRO", true],
      ["unpaid", "UNPAID", "PRO", true],
      ["canceled", "CANCELED", "FREE", false],
      ["incomplete", "INCOMPLETE", "FREE", false],
      ["incomplete_expired", "INCOMPLETE_EXPIRED", "FREE", false],
      ["paused", "PAUSED", "FREE", false],
    ] as const;
    for (const [stripe, status, plan, blocked] of cases) {
      expect({ stripe, status: subscriptionStatusOf(stripe) }).toEqual({ stripe, status });
      expect({ stripe, plan: effectivePlan(status, "PRO") }).toEqual({ stripe, plan });
      expect({ stripe, blocked: isBillingBlocked(status) }).toEqual({ stripe, blocked });
    }
  });

  it("counts runs by calendar month in UTC", () => {
    expect(billingPeriod(new Date("2026-12-31T23:59:59.999Z"))).toEqual({
      start: new Date("2026-12-01T00:00:00.000Z"),
      end: new Date("2027-01-01T00:00:00.000Z"),
    });
    expect(billingPeriod(new Date("2027-01-01T00:00:00.000Z")).start).toEqual(
      new Date("2027-01-01T00:00:00.000Z"),
    );
  });
});
