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

/** One card: what the board draws and what its moves need; plain JSON for the client. */
export interface BoardTask {
  id: string;
  key: string;
  title: string;
  status: TaskStatus;
  phase: TaskPhase;
  rank: number;
  labels: string[];
  requirementIds: string[];
  /** Runner name, or the agent back-end ("Claude", "CLI agent", "Offline agent"), once assigned. */
  agent: string | null;
  costUsd: number;
  specId: string;
  specTitle: string;
  projectName: string;
  startedAt: string | null;
  /** Keys of the unfinished tasks it waits for (a pending task is blocked by them). */
  blockedBy: string[];
  attentionReason: string | null;
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

/**
 * The organization's tasks for the board, in queue order (rank, then age),
 * filtered by project, spec, agent and label; `truncated` when more than
 * BOARD_TASK_LIMIT match.
 */
export async function listBoardTasks(
  db: Db,
  options: { actor: Actor; filters?: z.input<typeof boardFiltersSchema> },
): Promise<{ tasks: BoardTask[]; truncated: boolean }> {
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
      rank: true,
      labels: true,
      requirementIds: true,
      agentKind: true,
      costUsd: true,
      startedAt: true,
      attentionReason: true,
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
  const tasks = rows.slice(0, BOARD_TASK_LIMIT).map(
    (row): BoardTask => ({
      id: row.id,
      key: row.key,
      title: row.title,
      status: row.status,
      phase: row.phase,
      rank: row.rank,
      labels: row.labels,
      requirementIds: row.requirementIds,
      agent: row.runner?.name ?? (row.agentKind ? agentKindLabels[row.agentKind] : null),
      costUsd: row.costUsd.toNumber(),
      specId: row.specId,
      specTitle: row.spec.title,
      projectName: row.project.name,
      startedAt: row.startedAt?.toISOString() ?? null,
      blockedBy: row.status === "PENDING" ? row.dependsOn.map((d) => d.dependsOn.key) : [],
      attentionReason: row.attentionReason,
    }),
  );
  return { tasks, truncated: rows.length > BOARD_TASK_LIMIT };
}
