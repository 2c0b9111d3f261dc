import "server-only";
import type { AgentBackend, AgentLogStream, AgentUsage } from "@/lib/agents/backends/agent-backend";
import type { TraceEvent } from "@/lib/agents/backends/agent-trace";
import { getAgentBackend } from "@/lib/agents/backends/get-agent-backend";
import { taskModel } from "@/lib/agents/models";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { syncGithubMirror } from "@/lib/github/repository-mirror";
import { recordIntervention } from "@/lib/guardian/record-intervention";
import type { GuardianLimits } from "@/lib/guardian/run-guardian";
import { enforceSpecBudget } from "@/lib/specs/enforce-spec-budget";
import { finishSpecExecution } from "@/lib/specs/finish-spec-execution";
import { completeTask, failTask, markNeedsAttention } from "@/lib/tasks/finish-task";
import { heartbeatTask } from "@/lib/tasks/heartbeat-task";
import { setTaskVerifying } from "@/lib/tasks/set-task-verifying";
import { createBatcher, createLogBatcher, type LogLine } from "./log-batcher";
import { type PerformTaskResult, performTask } from "./perform-task";
import { recordRunUsage } from "./record-run-usage";
import { releaseSpecWorkspace, unreleaseSpecWorkspace } from "./release-spec-workspace";
import { startRun } from "./start-run";
import { integrationBranchOf, taskBranchOf } from "./task-branches";
import { traceEventRow } from "./trace-event-row";

export interface RunTaskOptions {
  taskId: string;
  workerId: string;
  /** Where task worktrees live (e.g. <DATA_DIR>/worktrees). */
  worktreesRoot: string;
  leaseMs: number;
  heartbeatMs?: number;
  /** Agent and verification rounds for one claim: the first try plus fixes after failures or conflicts. */
  maxRounds?: number;
  /** Overrides the project's choice (tests). */
  agent?: AgentBackend;
  /** The guardian's limits (loops, silence); defaults in lib/guardian/run-guardian.ts. */
  guardian?: Partial<GuardianLimits>;
  /** How often the guardian checks for a silent run; default 15 s. */
  guardianCheckMs?: number;
  signal?: AbortSignal;
}

export type RunTaskOutcome =
  | "done"
  | "failed"
  | "needs_attention"
  | "lost"
  | "cancelled"
  /** The spec ran out of budget: the task waits, unclaimed, until a person resumes the spec. */
  | "paused";

type StopReason = "lost" | "timeout" | "shutdown" | "paused";

const stopMessages: Record<StopReason, (timeoutSeconds: number) => string> = {
  timeout: (s) =>
    `The task ran over its time limit of ${Math.round(s / 60)} minutes and was stopped.`,
  paused: () =>
    "Paused: the spec reached its budget. The task waits until a person resumes the spec.",
  lost: () => "The task was cancelled or handed to another worker.",
  shutdown: () => "The worker shut down; the task will run again.",
};

/**
 * Runs one claimed task on this worker and keeps its record in the database: the Run row,
 * its log in batches, usage and budget, verification rows, the guardian's interventions,
 * the lease's heartbeat (losing it, e.g. to a cancel, stops the agent and its commands), the
 * time limit, and the task's final state. The work itself is performTask's.
 */
export async function runTask(db: Db, options: RunTaskOptions): Promise<RunTaskOutcome> {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const task = await db.task.findUniqueOrThrow({
    where: { id: options.taskId },
    include: {
      spec: { select: { id: true, slug: true, title: true, integrationBranch: true, orgId: true } },
      project: true,
      org: { select: { settings: true } },
    },
  });
  let repoPath = task.project.localPath;
  const integrationBranch = integrationBranchOf(task.spec);
  const taskBranch = taskBranchOf(task.spec, task.key);
  const agent =
    options.agent ??
    getAgentBackend({
      command: task.project.agentCommand,
      model: taskModel(task.org.settings, task),
    });
  const taskRef = { id: task.id, key: task.key };

  // The budget is checked before anything starts: an exhausted spec pauses (its tasks, this
  // one included, go back to waiting) instead of spending more.
  const budget = await enforceSpecBudget(db, {
    orgId: task.orgId,
    specId: task.specId,
    task: taskRef,
  });
  if (budget.exceeded || budget.paused) return "paused";

  const run = await db.$transaction((tx) =>
    startRun(tx, {
      task,
      workerId: options.workerId,
      branch: taskBranch,
      actorKind: "AGENT",
      agentKind: agent.kind,
    }),
  );

  let seq = 0;
  const logs = createLogBatcher({
    flush: async (lines: LogLine[]) => {
      await db.runLog.createMany({
        data: lines.map((l) => ({
          orgId: task.orgId,
          runId: run.id,
          seq: seq++,
          stream: l.stream,
          text: l.text.slice(0, 8000),
        })),
      });
    },
  });
  const log = (stream: AgentLogStream, text: string) => logs.push({ stream, text });
  let traceSeq = 0;
  const traces = createBatcher<TraceEvent>({
    flush: async (events) => {
      await db.runTraceEvent.createMany({
        data: events.map((event) => traceEventRow(task.orgId, run.id, traceSeq++, event)),
      });
    },
  });

  // One controller for every reason to stop: lease lost or cancelled, time limit, budget,
  // worker shutdown.
  const stop = new AbortController();
  let stopReason: StopReason | null = null;
  const abort = (reason: StopReason) => {
    if (!stop.signal.aborted) {
      stopReason = reason;
      stop.abort(reason);
    }
  };
  // The shutdown signal is the executor's, shared by every task this worker runs: the listener
  // goes again in cleanup(), or each finished task would leave one on it.
  const onShutdown = () => abort("shutdown");
  options.signal?.addEventListener("abort", onShutdown, { once: true });
  const timeLimit = setTimeout(() => abort("timeout"), task.timeoutSeconds * 1000);
  const beat = async () => {
    const held = await heartbeatTask(db, {
      taskId: task.id,
      workerId: options.workerId,
      leaseMs: options.leaseMs,
    }).catch(() => true);
    if (!held) abort("lost");
    else
      await db.run
        .update({ where: { id: run.id }, data: { heartbeatAt: new Date() } })
        .catch(() => {});
  };
  const heartbeat = setInterval(() => void beat(), heartbeatMs);

  const records: Promise<unknown>[] = [];
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

  let result: PerformTaskResult;
  try {
    // A GitHub project works in a local mirror of its repository, fetched with a short-lived token.
    if (task.project.repoKind === "GITHUB") {
      repoPath = await syncGithubMirror(db, { projectId: task.projectId });
    }
    if (!repoPath) {
      result = { outcome: "failed", error: "The project has no local repository to work in." };
    } else {
      if (!task.spec.integrationBranch) {
        await db.spec.update({ where: { id: task.specId }, data: { integrationBranch } });
      }
      // Should the spec have ended and been given back already (a cancelled spec's task, a
      // retry), this run makes worktrees again: the sweep releases it once more after.
      await unreleaseSpecWorkspace(db, { specId: task.specId });
      result = await performTask({
        repoPath,
        worktreesRoot: options.worktreesRoot,
        dirName: task.id,
        baseBranch: task.project.defaultBranch,
        integrationBranch,
        taskBranch,
        agent,
        task: {
          id: task.id,
          key: task.key,
          title: task.title,
          description: task.description,
          requirementIds: task.requirementIds,
          files: task.files,
          specTitle: task.spec.title,
          attempt: task.attempts,
        },
        commands: task.project,
        maxRounds: options.maxRounds ?? 3,
        signal: stop.signal,
        budgetUsd: budget.remainingUsd ?? undefined,
        guardian: options.guardian,
        guardianCheckMs: options.guardianCheckMs,
        hooks: {
          log,
          trace: (event) => traces.push(event),
          recordUsage: async (u: AgentUsage) => {
            usage.inputTokens += u.inputTokens;
            usage.outputTokens += u.outputTokens;
            usage.costUsd += u.costUsd;
            const after = await recordRunUsage(db, { task, runId: run.id, usage: u });
            if (after.exceeded || after.paused) abort("paused");
          },
          verifying: async () => {
            await setTaskVerifying(db, { taskId: task.id, workerId: options.workerId });
          },
          verification: async (step) => {
            await db.verification.create({ data: { orgId: task.orgId, runId: run.id, ...step } });
          },
          intervention: (verdict) => {
            records.push(
              db
                .$transaction((tx) =>
                  recordIntervention(tx, {
                    orgId: task.orgId,
                    action: verdict.action,
                    reason: verdict.reason,
                    projectId: task.projectId,
                    specId: task.specId,
                    taskId: task.id,
                    taskKey: task.key,
                    runId: run.id,
                  }),
                )
                .catch(() => {}),
            );
          },
        },
      });
    }
  } catch (error) {
    // Not the agent's doing (git, the disk, the database): worth another try.
    result = {
      outcome: "failed",
      error: `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    };
    if (!stopReason) {
      await finishFailedRun(result.error, "RETRYABLE");
      await failTask(db, {
        taskId: task.id,
        workerId: options.workerId,
        error: result.error,
        retryable: true,
      }).catch(() => {});
      await cleanup();
      return "failed";
    }
  }

  async function cleanup() {
    options.signal?.removeEventListener("abort", onShutdown);
    clearInterval(heartbeat);
    clearTimeout(timeLimit);
    await Promise.all(records);
    await traces.close();
  }

  async function finishFailedRun(message: string, errorKind: "PERMANENT" | "RETRYABLE") {
    log("SYSTEM", message);
    await logs.close().catch(() => {});
    const reason: StopReason | null = stopReason;
    await db.run
      .update({
        where: { id: run.id },
        data: {
          status:
            reason === "timeout"
              ? "TIMED_OUT"
              : reason === "lost" || reason === "paused"
                ? "CANCELLED"
                : "FAILED",
          errorMessage: message,
          errorKind,
          finishedAt: new Date(),
          ...usageData(usage),
        },
      })
      .catch(() => {});
  }

  try {
    if (result.outcome === "done") {
      await logs.close();
      await db.run.update({
        where: { id: run.id },
        data: {
          status: "SUCCEEDED",
          commitSha: result.commitSha,
          summary: result.summary,
          diff: result.diff,
          finishedAt: new Date(),
          ...usageData(usage),
        },
      });
      await completeTask(db, { taskId: task.id, workerId: options.workerId, ...usageData(usage) });
      if (await finishSpecExecution(db, { orgId: task.orgId, specId: task.specId })) {
        // The last task: give the repository back now (the result branch free to check out).
        // Should this fail or the worker stop, the executor's sweep does it again.
        await releaseSpecWorkspace(db, {
          specId: task.specId,
          worktreesRoot: options.worktreesRoot,
        }).catch(() => {});
      }
      return "done";
    }
    // Set by the timers and hooks above, which TypeScript's flow analysis cannot see.
    const reason = stopReason as StopReason | null;
    if (reason) {
      await finishFailedRun(stopMessages[reason](task.timeoutSeconds), "RETRYABLE");
      if (reason === "paused") return "paused"; // the pause already sent the task back to waiting
      if (reason === "lost" || reason === "shutdown") return "lost"; // requeued by the sweep
      await failTask(db, {
        taskId: task.id,
        workerId: options.workerId,
        error: stopMessages.timeout(task.timeoutSeconds),
        retryable: false,
      });
      return "failed";
    }
    if (result.outcome === "aborted") return "lost";
    await finishFailedRun(result.error, "PERMANENT");
    if (result.outcome === "needs_attention") {
      await markNeedsAttention(db, {
        taskId: task.id,
        workerId: options.workerId,
        reason: result.error,
      });
      return "needs_attention";
    }
    await failTask(db, {
      taskId: task.id,
      workerId: options.workerId,
      error: result.error,
      retryable: false,
    });
    return "failed";
  } finally {
    await cleanup();
  }
}

function usageData(usage: { inputTokens: number; outputTokens: number; costUsd: number }) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: new Prisma.Decimal(usage.costUsd.toFixed(6)),
  };
}
