import type { Plan } from "@/lib/generated/prisma/enums";

/** What a plan allows an organization: agents running at once, task runs a month, projects. */
export interface PlanLimits {
  /** Tasks of the organization RUNNING or VERIFYING at the same time; the scheduler never exceeds it. */
  concurrentAgents: number;
  runsPerMonth: number;
  projects: number;
}

/** The plan table: one place for every limit the product enforces. */
export const plans: Readonly<Record<Plan, Readonly<PlanLimits>>> = {
  FREE: { concurrentAgents: 1, runsPerMonth: 20, projects: 1 },
  PRO: { concurrentAgents: 5, runsPerMonth: 500, projects: 10 },
  TEAM: { concurrentAgents: 20, runsPerMonth: 5_000, projects: 100 },
};

/** The limits of a plan. */
export function planLimits(plan: Plan): Readonly<PlanLimits> {
  return plans[plan];
}
