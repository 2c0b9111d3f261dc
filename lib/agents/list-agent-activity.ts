import "server-only";
import { notFound } from "@/lib/api/app-error";
import { planLimits } from "@/lib/billing/plans";
import type { Db } from "@/lib/db/client";
import type { AgentKind, LogStream, Plan, TaskStatus } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** How far back the built-in runner's worker processes are listed (by the runs they made). */
const WORKER_WINDOW_MS = 24 * 3600 * 1000;
/** Running agents shown at once; the plan's concurrency limit keeps the real number lower. */
const MAX_RUNNING = 100;

export interface RunningAgent {
  taskId: string;
  key: string;
  title: string;
  status: TaskStatus;
  spec: { id: string; title: string };
  startedAt: Date | null;
  /** The task's lease heartbeat (every 30 s from its worker). */
  lastHeartbeatAt: Date | null;
  /** The worker process (built-in runner) or the registered runner running it. */
  worker: string | null;
  runner: { id: string; name: string } | null;
  run: { id: string; attempt: number; agentKind: AgentKind | null; model: string | null } | null;
  /** The last lines of the current run's log, oldest first. */
  log: { seq: number; stream: LogStream; text: string }[];
}

export interface AgentActivity {
  /** Registered (self-hosted) runners, revoked ones included. */
  runners: {
    id: string;
    name: string;
    labels: string[];
    hostname: string | null;
    version: string | null;
    lastHeartbeatAt: Date | null;
    revokedAt: Date | null;
    running: number;
  }[];
  /** Worker processes of the built-in runner that ran this organization's tasks lately. */
  workers: { workerId: string; lastHeartbeatAt: Date | null; runs: number; running: number }[];
  running: RunningAgent[];
  /**
   * How many of its tasks the organization may run at once: its plan's concurrentAgents (the
   * queue never starts more). The workers' own concurrency is another cap, shared by everyone.
   */
  limit: { plan: Plan; agents: number };
}

/**
 * What runs the organization's tasks right now: its runners, the built-in runner's
 * worker processes seen in the last day, and each running agent with the tail of its log.
 */
export async function listAgentActivity(
  db: Db,
  options: { actor: Actor; logLines?: number; now?: Date },
): Promise<AgentActivity> {
  const { actor } = options;
  assertCan(actor, "read");
  const orgId = actor.orgId;
  const now = options.now ?? new Date();
  const [org, runners, tasks, workers] = await Promise.all([
    db.organization.findUnique({ where: { id: orgId }, select: { plan: true } }),
    db.runner.findMany({
      where: { orgId },
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "asc" }],
      select: {
        id: true,
        name: true,
        labels: true,
        hostname: true,
        version: true,
        lastHeartbeatAt: true,
        revokedAt: true,
      },
    }),
    db.task.findMany({
      where: { orgId, status: { in: ["RUNNING", "VERIFYING"] } },
      orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      take: MAX_RUNNING,
      select: {
        id: true,
        key: true,
        title: true,
        status: true,
        startedAt: true,
        lastHeartbeatAt: true,
        leaseOwner: true,
        spec: { select: { id: true, title: true } },
        runner: { select: { id: true, name: true } },
        runs: {
          orderBy: { attempt: "desc" },
          take: 1,
          select: { id: true, attempt: true, agentKind: true, model: true, workerId: true },
        },
      },
    }),
    db.run.groupBy({
      by: ["workerId"],
      where: {
        orgId,
        runnerId: null,
        workerId: { not: null },
        createdAt: { gte: new Date(now.getTime() - WORKER_WINDOW_MS) },
      },
      _count: { _all: true },
      _max: { heartbeatAt: true },
    }),
  ]);

  if (!org) throw notFound("Organization");

  const logLines = options.logLines ?? 12;
  const logs = await Promise.all(
    tasks.map(async (task) => {
      const run = task.runs[0];
      if (!run || logLines === 0) return [];
      const rows = await db.runLog.findMany({
        where: { runId: run.id, orgId },
        orderBy: { seq: "desc" },
        take: logLines,
        select: { seq: true, stream: true, text: true },
      });
      return rows.reverse();
    }),
  );

  const running: RunningAgent[] = tasks.map((task, i) => {
    const run = task.runs[0] ?? null;
    return {
      taskId: task.id,
      key: task.key,
      title: task.title,
      status: task.status,
      spec: task.spec,
      startedAt: task.startedAt,
      lastHeartbeatAt: task.lastHeartbeatAt,
      worker: task.runner ? null : (task.leaseOwner ?? run?.workerId ?? null),
      runner: task.runner,
      run: run
        ? { id: run.id, attempt: run.attempt, agentKind: run.agentKind, model: run.model }
        : null,
      log: logs[i]!,
    };
  });

  const countBy = (pick: (agent: RunningAgent) => string | null | undefined) => {
    const counts = new Map<string, number>();
    for (const agent of running) {
      const key = pick(agent);
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const byRunner = countBy((agent) => agent.runner?.id);
  const byWorker = countBy((agent) => agent.worker);

  const seenWorkers = workers.map((row) => ({
    workerId: row.workerId!,
    lastHeartbeatAt: row._max.heartbeatAt,
    runs: row._count._all,
    running: byWorker.get(row.workerId!) ?? 0,
  }));
  // A worker running a task whose run started before the window still belongs in the list.
  for (const [workerId, count] of byWorker) {
    if (!seenWorkers.some((w) => w.workerId === workerId)) {
      const heartbeat = running.find((agent) => agent.worker === workerId)?.lastHeartbeatAt;
      seenWorkers.push({
        workerId,
        lastHeartbeatAt: heartbeat ?? null,
        runs: count,
        running: count,
      });
    }
  }
  seenWorkers.sort(
    (a, b) => (b.lastHeartbeatAt?.getTime() ?? 0) - (a.lastHeartbeatAt?.getTime() ?? 0),
  );

  return {
    runners: runners.map((runner) => ({ ...runner, running: byRunner.get(runner.id) ?? 0 })),
    workers: seenWorkers,
    running,
    limit: { plan: org.plan, agents: planLimits(org.plan).concurrentAgents },
  };
}
