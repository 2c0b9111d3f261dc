// A realistic board for the bench, e2e and local trials: projects and executing specs whose
// tasks sit in every status and phase, with labels, agents, costs, requirement ids and
// dependencies. Written directly (no sign-up, no git repository, no worker involved): no task
// is claimable (queued ones wait for a notBefore far in the future), so a running worker leaves
// the board as seeded.
import type { Db } from "@/lib/db/client";
import type { AgentKind, TaskPhase, TaskStatus } from "@/lib/generated/prisma/enums";
import { createTaskScope, createTasks, type TaskScope } from "./task-fixtures";

const statusCycle: TaskStatus[] = [
  "DONE",
  "DONE",
  "DONE",
  "PENDING",
  "PENDING",
  "QUEUED",
  "RUNNING",
  "VERIFYING",
  "NEEDS_ATTENTION",
  "FAILED",
  "CANCELLED",
  "DONE",
];
const phases: TaskPhase[] = [
  "INITIAL",
  "IMPLEMENTATION",
  "IMPLEMENTATION",
  "INTEGRATION",
  "REFACTORING",
];
const agents: (AgentKind | null)[] = ["CLAUDE", "OFFLINE", "CLI"];
const labels = ["frontend", "backend", "db", "docs", "infra"];
const verbs = ["Add", "Render", "Validate", "Migrate", "Refactor", "Document", "Cache", "Index"];
const nouns = [
  "invoice preview",
  "export button",
  "login form",
  "webhook handler",
  "search box",
  "billing page",
];

/** Far enough ahead that the scheduler never claims a seeded QUEUED task. */
export const neverClaimable = new Date("2999-01-01T00:00:00Z");

/**
 * `count` tasks over `specs` executing specs (one project each) in the
 * organization. Returns the scopes, the task ids in creation order.
 */
export async function seedBoard(
  db: Db,
  options: { orgId: string; count: number; specs?: number },
): Promise<{ scopes: TaskScope[]; taskIds: string[] }> {
  const specCount = Math.max(1, options.specs ?? Math.ceil(options.count / 100));
  const scopes: TaskScope[] = [];
  for (let s = 0; s < specCount; s++) {
    scopes.push(await createTaskScope(db, { orgId: options.orgId, name: `Board ${s + 1}` }));
  }
  const perSpec = Math.ceil(options.count / specCount);
  const taskIds: string[] = [];
  const now = Date.now();
  for (const [s, scope] of scopes.entries()) {
    const n = Math.min(perSpec, options.count - taskIds.length);
    if (n <= 0) break;
    const ids = await createTasks(db, scope, n, (i) => {
      const status = statusCycle[(i + s) % statusCycle.length]!;
      const started = status === "RUNNING" || status === "VERIFYING";
      const ran = status !== "PENDING" && status !== "QUEUED";
      return {
        key: `${Math.floor(i / 5) + 1}.${(i % 5) + 1}`,
        title: `${verbs[i % verbs.length]} the ${nouns[(i + s) % nouns.length]} (${s + 1}-${i + 1})`,
        status,
        rank: i,
        phase: phases[i % phases.length],
        labels: [
          labels[i % labels.length]!,
          ...(i % 3 === 0 ? [labels[(i + 2) % labels.length]!] : []),
        ],
        requirementIds: [`REQ-${String((i % 12) + 1).padStart(3, "0")}`],
        agentKind: ran ? agents[i % agents.length]! : null,
        costUsd: ran ? Math.round(((i * 37) % 500) / 10) / 100 : 0,
        startedAt: started ? new Date(now - ((i % 40) + 1) * 60_000) : null,
        leaseOwner: started ? "seeded-worker" : null,
        leaseExpiresAt: started ? neverClaimable : null,
        notBefore: status === "QUEUED" ? neverClaimable : null,
        // The stale-task sweeper takes back tasks running past their time limit.
        timeoutSeconds: 7 * 24 * 3600,
        attentionReason: status === "NEEDS_ATTENTION" ? "Verification failed three times" : null,
      };
    });
    // Pending tasks wait for the task five before them (same spec), so the board shows locks.
    const edges = ids.flatMap((id, i) =>
      i >= 5 && statusCycle[(i + s) % statusCycle.length] === "PENDING"
        ? [{ orgId: options.orgId, taskId: id, dependsOnId: ids[i - 5]! }]
        : [],
    );
    if (edges.length > 0) await db.taskDependency.createMany({ data: edges });
    taskIds.push(...ids);
  }
  return { scopes, taskIds };
}
