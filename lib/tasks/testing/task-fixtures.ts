// Fast fixtures for queue tests and the scheduler bench: organizations, projects, specs and
// tasks written directly (no sign-up, no git repository), since the queue only reads these rows.
import type { Db } from "@/lib/db/client";
import type { AgentKind, Plan, TaskPhase, TaskStatus } from "@/lib/generated/prisma/enums";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Where tasks live: an organization, a project and an executing spec. */
export interface TaskScope {
  orgId: string;
  projectId: string;
  specId: string;
}

/** An organization on `plan` with a project and an executing spec. */
export async function createTaskScope(
  db: Db,
  options: { plan?: Plan; name?: string; orgId?: string } = {},
): Promise<TaskScope> {
  const name = options.name ?? "Queue";
  const orgId =
    options.orgId ??
    (
      await db.organization.create({
        data: { name, slug: `${name.toLowerCase()}-${unique()}`, plan: options.plan ?? "TEAM" },
        select: { id: true },
      })
    ).id;
  const project = await db.project.create({
    data: { orgId, name, slug: `p-${unique()}` },
    select: { id: true },
  });
  const spec = await db.spec.create({
    data: { orgId, projectId: project.id, title: name, slug: `s-${unique()}`, state: "EXECUTING" },
    select: { id: true },
  });
  return { orgId, projectId: project.id, specId: spec.id };
}

export interface TaskSeed {
  key?: string;
  status?: TaskStatus;
  rank?: number;
  createdAt?: Date;
  notBefore?: Date | null;
  maxAttempts?: number;
  timeoutSeconds?: number;
  // What the board shows on a card (defaults: "Task N", IMPLEMENTATION, none).
  title?: string;
  phase?: TaskPhase;
  labels?: string[];
  requirementIds?: string[];
  agentKind?: AgentKind | null;
  costUsd?: number;
  startedAt?: Date | null;
  attentionReason?: string | null;
  leaseOwner?: string | null;
  leaseExpiresAt?: Date | null;
  lastHeartbeatAt?: Date | null;
  estimateMinutes?: number | null;
  attempts?: number;
}

/** `count` tasks in the scope (QUEUED unless told), created in order one millisecond apart. */
export async function createTasks(
  db: Db,
  scope: TaskScope,
  count: number,
  seed: TaskSeed | ((index: number) => TaskSeed) = {},
): Promise<string[]> {
  const base = Date.now();
  const rows = await db.task.createManyAndReturn({
    data: Array.from({ length: count }, (_, index) => {
      const s = typeof seed === "function" ? seed(index) : seed;
      return {
        ...scope,
        key: s.key ?? `${index + 1}-${unique()}`,
        title: s.title ?? `Task ${index + 1}`,
        status: s.status ?? "QUEUED",
        rank: s.rank ?? 0,
        createdAt: s.createdAt ?? new Date(base + index),
        notBefore: s.notBefore ?? null,
        maxAttempts: s.maxAttempts ?? 3,
        timeoutSeconds: s.timeoutSeconds ?? 1800,
        ...(s.phase ? { phase: s.phase } : {}),
        ...(s.labels ? { labels: s.labels } : {}),
        ...(s.requirementIds ? { requirementIds: s.requirementIds } : {}),
        ...(s.agentKind !== undefined ? { agentKind: s.agentKind } : {}),
        ...(s.costUsd !== undefined ? { costUsd: s.costUsd } : {}),
        ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
        ...(s.attentionReason !== undefined ? { attentionReason: s.attentionReason } : {}),
        ...(s.leaseOwner !== undefined ? { leaseOwner: s.leaseOwner } : {}),
        ...(s.leaseExpiresAt !== undefined ? { leaseExpiresAt: s.leaseExpiresAt } : {}),
        ...(s.lastHeartbeatAt !== undefined ? { lastHeartbeatAt: s.lastHeartbeatAt } : {}),
        ...(s.estimateMinutes !== undefined ? { estimateMinutes: s.estimateMinutes } : {}),
        ...(s.attempts !== undefined ? { attempts: s.attempts } : {}),
      };
    }),
    select: { id: true, createdAt: true },
  });
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((row) => row.id);
}

/**
 * A task graph in the scope, ranked in the given order: key -> id. Tasks are PENDING unless a
 * node says otherwise (a node may carry any TaskSeed field: title, status, estimate…).
 */
export async function createTaskGraph(
  db: Db,
  scope: TaskScope,
  nodes: (TaskSeed & { key: string; dependsOn: readonly string[] })[],
): Promise<Map<string, string>> {
  const ids = await createTasks(db, scope, nodes.length, (index) => {
    const { dependsOn: _edges, ...seed } = nodes[index]!;
    return { status: "PENDING", rank: index, ...seed };
  });
  const byKey = new Map(nodes.map((node, index) => [node.key, ids[index]!]));
  const edges = nodes.flatMap((node) =>
    node.dependsOn.map((dep) => ({
      orgId: scope.orgId,
      taskId: byKey.get(node.key)!,
      dependsOnId: byKey.get(dep)!,
    })),
  );
  if (edges.length > 0) await db.taskDependency.createMany({ data: edges });
  return byKey;
}
