import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AgentKind, type TaskPhase, type TaskStatus } from "@/lib/generated/prisma/enums";
import { type Actor, assertCan } from "@/lib/orgs/roles";

/** The most cards the board draws at once; filters narrow a bigger organization. */
export const BOARD_TASK_LIMIT = 2000;

const id = z.string().trim().min(1).max(100);

/**
 * The board's filters, as they appear in its URL. `agent` is an agent kind
 * (CLAUDE, CLI, OFFLINE) or a runner's id (rnr_…).
 */
export const boardFiltersSchema = z.object({
  project: id.optional(),
  spec: id.optional(),
  agent: id.optional(),
  label: z.string().trim().min(1).max(100).optional(),
});
export type BoardFilters = z.infer<typeof boardFiltersSchema>;

/**
 * One card: what the board draws and what its moves need; plain JSON for the client, sent for
 * every task on the board, so only what a card shows, and empty values left out.
 */
export interface BoardTask {
  id: string;
  key: string;
  title: string;
  status: TaskStatus;
  phase: TaskPhase;
  labels: string[];
  requirementIds: string[];
  /** A key of the board's `specs`. */
  specId: string;
  /**
   * Who works on it: for a running or verifying task its run's runner name or agent back-end
   * ("Claude", "CLI agent", "Offline agent"); else the runner or back-end it is assigned to.
   */
  agent?: string;
  /** Dollars spent so far (the attempt under way included), when any. */
  costUsd?: number;
  /** When a running or verifying task's attempt started (the card shows how long it has run). */
  startedAt?: string;
  /** Keys of the unfinished tasks a pending task waits for, when any. */
  blockedBy?: string[];
}

/** What the cards of one spec show about it; sent once per spec, not once per card. */
export interface BoardSpec {
  title: string;
  projectName: string;
}

export const agentKindLabels: Record<AgentKind, string> = {
  CLAUDE: "Claude",
  CLI: "CLI agent",
  OFFLINE: "Offline agent",
};

function agentFilter(agent: string | undefined): Prisma.TaskWhereInput {
  if (!agent) return {};
  const kind = Object.values(AgentKind).find((k) => k === agent);
  return kind ? { agentKind: kind } : { runnerId: agent };
}

const inProgress = new Set<TaskStatus>(["RUNNING", "VERIFYING"]);

/**
 * The organization's tasks for the board, in queue order (rank, then age),
 * filtered by project, spec, agent and label, with their specs by id;
 * `truncated` when more than BOARD_TASK_LIMIT match. Tasks in progress carry who
 * runs them, since when, and what their attempt has cost so far.
 */
export async function listBoardTasks(
  db: Db,
  options: { actor: Actor; filters?: z.input<typeof boardFiltersSchema> },
): Promise<{ tasks: BoardTask[]; specs: Record<string, BoardSpec>; truncated: boolean }> {
  const { actor } = options;
  assertCan(actor, "read");
  const filters = boardFiltersSchema.parse(options.filters ?? {});
  const rows = await db.task.findMany({
    where: {
      orgId: actor.orgId,
      ...(filters.project ? { projectId: filters.project } : {}),
      ...(filters.spec ? { specId: filters.spec } : {}),
      ...(filters.label ? { labels: { has: filters.label } } : {}),
      ...agentFilter(filters.agent),
    },
    orderBy: [{ rank: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    take: BOARD_TASK_LIMIT + 1,
    select: {
      id: true,
      key: true,
      title: true,
      status: true,
      phase: true,
      labels: true,
      requirementIds: true,
      agentKind: true,
      costUsd: true,
      startedAt: true,
      specId: true,
      spec: { select: { title: true } },
      project: { select: { name: true } },
      runner: { select: { name: true } },
      dependsOn: {
        where: { dependsOn: { status: { not: "DONE" } } },
        select: { dependsOn: { select: { key: true } } },
      },
    },
  });
  const specs: Record<string, BoardSpec> = {};
  const costs = new Map<string, number>();
  const tasks = rows.slice(0, BOARD_TASK_LIMIT).map((row): BoardTask => {
    specs[row.specId] ??= { title: row.spec.title, projectName: row.project.name };
    const task: BoardTask = {
      id: row.id,
      key: row.key,
      title: row.title,
      status: row.status,
      phase: row.phase,
      labels: row.labels,
      requirementIds: row.requirementIds,
      specId: row.specId,
    };
    const agent = row.runner?.name ?? (row.agentKind ? agentKindLabels[row.agentKind] : null);
    if (agent) task.agent = agent;
    costs.set(row.id, row.costUsd.toNumber());
    if (inProgress.has(row.status) && row.startedAt) task.startedAt = row.startedAt.toISOString();
    if (row.status === "PENDING" && row.dependsOn.length) {
      task.blockedBy = row.dependsOn.map((d) => d.dependsOn.key);
    }
    return task;
  });
  // The open run of each task in progress (a few: as many as run at once) says who runs it
  // and what the attempt has cost; the task's own total counts finished attempts only.
  const working = tasks.filter((t) => inProgress.has(t.status));
  if (working.length) {
    const byId = new Map(working.map((t) => [t.id, t]));
    const runs = await db.run.findMany({
      where: { orgId: actor.orgId, taskId: { in: [...byId.keys()] }, finishedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { taskId: true, agentKind: true, costUsd: true, runner: { select: { name: true } } },
    });
    // A run left open by a lost worker is superseded by the task's latest.
    const open = new Map(runs.map((run) => [run.taskId ?? "", run]));
    for (const [taskId, run] of open) {
      const task = byId.get(taskId);
      if (!task) continue;
      const agent = run.runner?.name ?? (run.agentKind ? agentKindLabels[run.agentKind] : null);
      if (agent) task.agent = agent;
      costs.set(task.id, (costs.get(task.id) ?? 0) + run.costUsd.toNumber());
    }
  }
  for (const task of tasks) {
    const costUsd = costs.get(task.id) ?? 0;
    if (costUsd > 0) task.costUsd = Math.round(costUsd * 10_000) / 10_000;
  }
  return { tasks, specs, truncated: rows.length > BOARD_TASK_LIMIT };
}
