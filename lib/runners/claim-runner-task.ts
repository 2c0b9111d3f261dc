import "server-only";
import { z } from "zod";
import type { AgentBackendKind } from "@/lib/agents/backends/agent-backend";
import { agentKindFor } from "@/lib/agents/backends/get-agent-backend";
import { type ModelChoice, taskModel } from "@/lib/agents/models";
import type { Db } from "@/lib/db/client";
import { startRun } from "@/lib/execution/start-run";
import { integrationBranchOf, taskBranchOf } from "@/lib/execution/task-branches";
import { enforceSpecBudget } from "@/lib/specs/enforce-spec-budget";
import type { AuthenticatedRunner } from "./authenticate-runner";
import { waitForQueuedTask, wakeOne } from "./queue-signal";
import { runnerWorkerId } from "./runner-token";

export const claimRunnerTaskSchema = z.object({
  /** How long the request may wait for work (long poll). */
  waitMs: z.number().int().min(0).max(30_000).default(25_000),
  /** The runner heart-beats at a third of this; a lapsed lease sends the task back to the queue. */
  leaseMs: z
    .number()
    .int()
    .min(3_000)
    .max(10 * 60_000)
    .default(90_000),
  /**
   * Whether the runner can run the Claude agent (an Anthropic API key on its machine): with it,
   * the server names the agent in the assignment and records it on the run. Runners that do not
   * say pick their agent themselves, and their runs record none.
   */
  claude: z.boolean().optional(),
});
export type ClaimRunnerTaskInput = z.input<typeof claimRunnerTaskSchema>;

/** Everything a runner needs to do a task; no secrets of the server and no source code. */
export interface RunnerAssignment {
  task: {
    id: string;
    key: string;
    title: string;
    description: string;
    requirementIds: string[];
    files: string[];
    attempt: number;
    timeoutSeconds: number;
  };
  runId: string;
  spec: { id: string; title: string; integrationBranch: string; taskBranch: string };
  project: {
    id: string;
    /** What the runner clones and pushes to: the project's repository path or URL. */
    cloneUrl: string;
    defaultBranch: string;
    setupCommand: string | null;
    testCommand: string | null;
    lintCommand: string | null;
    agentCommand: string | null;
  };
  /** The Claude agent's model and fallback: the organization's routing for this task (Settings → Models). */
  model: ModelChoice;
  leaseMs: number;
  /** USD the agent may still spend on this spec; null with no budget. */
  budgetUsd: number | null;
  /** The agent to run, as recorded on the run; absent when the runner did not say what it can run. */
  agentKind?: AgentBackendKind;
}

/**
 * Takes one queued task of the runner's organization from a project pinned to runners whose
 * labels the runner has all of, within the plan's concurrent-agent limit; waits up to
 * `waitMs` for one to be queued. Null when none came.
 */
export async function claimRunnerTask(
  db: Db,
  options: { runner: AuthenticatedRunner; input: unknown; signal?: AbortSignal },
): Promise<RunnerAssignment | null> {
  const { runner } = options;
  const { waitMs, leaseMs, claude } = claimRunnerTaskSchema.parse(options.input);
  const deadline = Date.now() + waitMs;
  for (;;) {
    // A runner that hung up (stopped, killed) must not be handed a task: nobody would run it
    // until its lease lapsed.
    if (options.signal?.aborted) return null;
    const assignment = await tryClaim(db, runner, { leaseMs, claude });
    if (assignment) {
      wakeOne(runner.orgId); // there may be more where this one came from
      return assignment;
    }
    const left = deadline - Date.now();
    if (left <= 0) return null;
    // Woken by the queue signal; re-checked at least every 2 s in case a notification was missed.
    await waitForQueuedTask(runner.orgId, Math.min(left, 2_000), options.signal);
  }
}

async function tryClaim(
  db: Db,
  runner: AuthenticatedRunner,
  { leaseMs, claude }: { leaseMs: number; claude: boolean | undefined },
): Promise<RunnerAssignment | null> {
  const claimed = await db.$transaction(async (tx) => {
    // Held for the rest of the claim, so the queue's gate (migration fair_queue), which checks
    // the plan's limits (agents, runs this month, payment) as it counts the claim, finds it ours.
    const [org] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Organization" WHERE id = ${runner.orgId} FOR NO KEY UPDATE`;
    if (!org) return null;
    const [pick] = await tx.$queryRaw<{ id: string }[]>`
      SELECT t.id FROM "Task" t
      JOIN "Project" p ON p.id = t."projectId"
      WHERE t."orgId" = ${runner.orgId}
        AND t.status = 'QUEUED'
        AND (t."notBefore" IS NULL OR t."notBefore" <= now())
        AND cardinality(p."runnerLabels") > 0
        AND p."runnerLabels" <@ ${runner.labels}::text[]
      ORDER BY t.rank, t."createdAt", t.id
      LIMIT 1
      FOR UPDATE OF t SKIP LOCKED`;
    if (!pick) return null;
    const now = new Date();
    const workerId = runnerWorkerId(runner.id);
    const task = await tx.task.update({
      where: { id: pick.id },
      data: {
        status: "RUNNING",
        leaseOwner: workerId,
        leaseExpiresAt: new Date(now.getTime() + leaseMs),
        lastHeartbeatAt: now,
        startedAt: now,
        finishedAt: null,
        attentionReason: null,
        attempts: { increment: 1 },
        runnerId: runner.id,
      },
      include: {
        spec: { select: { id: true, slug: true, title: true, integrationBranch: true } },
        project: true,
        org: { select: { settings: true } },
      },
    });
    // Refused by the gate: the plan allows no more right now; the task stays queued.
    if (task.status !== "RUNNING") return null;
    const integrationBranch = integrationBranchOf(task.spec);
    const taskBranch = taskBranchOf(task.spec, task.key);
    if (!task.spec.integrationBranch) {
      await tx.spec.update({ where: { id: task.specId }, data: { integrationBranch } });
    }
    const agentKind =
      claude === undefined
        ? undefined
        : agentKindFor({ command: task.project.agentCommand, claude });
    const run = await startRun(tx, {
      task,
      workerId,
      branch: taskBranch,
      actorKind: "RUNNER",
      agentKind,
      runner,
      startedAt: now,
    });
    return { task, runId: run.id, integrationBranch, taskBranch, agentKind };
  });
  if (!claimed) return null;
  const { task, runId, integrationBranch, taskBranch, agentKind } = claimed;
  const budget = await enforceSpecBudget(db, {
    orgId: task.orgId,
    specId: task.specId,
    task: { id: task.id, key: task.key },
    runId,
  });
  return {
    task: {
      id: task.id,
      key: task.key,
      title: task.title,
      description: task.description,
      requirementIds: task.requirementIds,
      files: task.files,
      attempt: task.attempts,
      timeoutSeconds: task.timeoutSeconds,
    },
    runId,
    spec: { id: task.spec.id, title: task.spec.title, integrationBranch, taskBranch },
    project: {
      id: task.project.id,
      cloneUrl: task.project.localPath ?? "",
      defaultBranch: task.project.defaultBranch,
      setupCommand: task.project.setupCommand,
      testCommand: task.project.testCommand,
      lintCommand: task.project.lintCommand,
      agentCommand: task.project.agentCommand,
    },
    model: taskModel(task.org.settings, task),
    leaseMs,
    budgetUsd: budget.remainingUsd,
    ...(agentKind ? { agentKind } : {}),
  };
}
