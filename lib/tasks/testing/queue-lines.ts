// What the fair queue's triggers (migrations fair_queue, fair_queue_statement_refill) must leave
// after every statement, worked out the slow way from the rows themselves, for the tests.
import { billingPeriod, isBillingBlocked, plans } from "@/lib/billing/plans";
import type { Db } from "@/lib/db/client";

/**
 * What is wrong with the organizations' queue bookkeeping at `now`; empty when it is exact:
 * the counters (queuedTasks, activeTasks, this month's periodRuns) match the rows, and the line
 * is the first `room` queued tasks by rank, then age (not pinned to runners, not backing off),
 * with tags strictly rising in that order, and no other task has one. Room: free agents of the
 * plan, capped by the month's runs left (claims whose Run row is not written yet count), none
 * while the payment is overdue.
 */
export async function queueProblems(db: Db, orgIds: string[], now = new Date()): Promise<string[]> {
  const problems: string[] = [];
  const period = billingPeriod(now);
  for (const orgId of orgIds) {
    const org = await db.organization.findUniqueOrThrow({ where: { id: orgId } });
    const tasks = await db.task.findMany({
      where: { orgId },
      orderBy: [{ rank: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        status: true,
        attempts: true,
        notBefore: true,
        queueTag: true,
        project: { select: { runnerLabels: true } },
        runs: { select: { attempt: true } },
      },
    });
    const runs = await db.run.count({
      where: { orgId, createdAt: { gte: period.start, lt: period.end } },
    });
    const say = (problem: string) => problems.push(`${org.name} (${org.plan}): ${problem}`);

    const queued = tasks.filter((task) => task.status === "QUEUED");
    const active = tasks.filter((task) => ["RUNNING", "VERIFYING"].includes(task.status));
    if (org.queuedTasks !== queued.length) {
      say(`queuedTasks ${org.queuedTasks}, ${queued.length} tasks queued`);
    }
    if (org.activeTasks !== active.length) {
      say(`activeTasks ${org.activeTasks}, ${active.length} tasks running or verifying`);
    }
    const periodRuns = org.periodStart?.getTime() === period.start.getTime() ? org.periodRuns : 0;
    if (periodRuns !== runs) say(`periodRuns ${periodRuns}, ${runs} runs this month`);

    const limits = plans[org.plan];
    const inFlight = active.filter((task) => !task.runs.some((r) => r.attempt === task.attempts));
    const room = isBillingBlocked(org.subscriptionStatus)
      ? 0
      : Math.max(
          Math.min(
            limits.concurrentAgents - active.length,
            // No monthly limit (null, Self-hosted): only agents bound the line.
            limits.runsPerMonth === null
              ? Number.POSITIVE_INFINITY
              : limits.runsPerMonth - runs - inFlight.length,
          ),
          0,
        );
    const waiting = queued.filter(
      (task) =>
        task.project.runnerLabels.length === 0 &&
        (task.notBefore === null || task.notBefore <= now),
    );
    const line = waiting.slice(0, room);
    const inLine = new Set(line.map((task) => task.id));
    const tags = line.map((task) => task.queueTag);
    if (tags.some((tag) => tag === null)) say(`in line without a tag: ${JSON.stringify(tags)}`);
    else if (tags.some((tag, i) => i > 0 && !(tag! > tags[i - 1]!))) {
      say(`tags not strictly rising in rank order: ${JSON.stringify(tags)}`);
    }
    const stray = tasks.filter((task) => !inLine.has(task.id) && task.queueTag !== null);
    if (stray.length > 0) {
      say(`out of line with a tag: ${stray.map((t) => `${t.status} ${t.queueTag}`).join(", ")}`);
    }
  }
  return problems;
}
