import "server-only";
import type { AgentBackend, AgentLogStream, AgentUsage } from "@/lib/agents/backends/agent-backend";
import { getAgentBackend } from "@/lib/agents/backends/get-agent-backend";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordIntervention } from "@/lib/guardian/record-intervention";
import {
  createRunGuardian,
  type GuardianLimits,
  type GuardianVerdict,
} from "@/lib/guardian/run-guardian";
import { enforceSpecBudget } from "@/lib/specs/enforce-spec-budget";
import { finishSpecExecution } from "@/lib/specs/finish-spec-execution";
import { completeTask, failTask, markNeedsAttention } from "@/lib/tasks/finish-task";
import { heartbeatTask } from "@/lib/tasks/heartbeat-task";
import { setTaskVerifying } from "@/lib/tasks/set-task-verifying";
import {
  commitAll,
  createTaskWorktree,
  diffOf,
  ensureIntegrationBranch,
  mergeIntoIntegration,
  removeWorktree,
} from "@/lib/workspaces/git-workspace";
import { createLogBatcher, type LogLine } from "./log-batcher";
import { runVerification } from "./run-verification";

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

class StopRun extends Error {
  constructor(
    readonly outcome: "failed" | "needs_attention",
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

function branchSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "") || "task";
}

/**
 * Runs one claimed task to its end: a worktree on the task's branch cut from the
 * spec's integration branch, the agent, a commit, verification (fixes fed back
 * to the agent, bounded), a merge into the integration branch (conflicts fed
 * back, then a human), and the task's final state. The lease is heart-beaten
 * throughout; losing it (requeued, cancelled) stops the agent and its commands.
 */
export async function runTask(db: Db, options: RunTaskOptions): Promise<RunTaskOutcome> {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxRounds = options.maxRounds ?? 3;
  const task = await db.task.findUniqueOrThrow({
    where: { id: options.taskId },
    include: {
      spec: { select: { id: true, slug: true, title: true, integrationBranch: true, orgId: true } },
      project: true,
      org: { select: { settings: true } },
    },
  });
  const repoPath = task.project.localPath;
  const integrationBranch = task.spec.integrationBranch ?? `trellis/${task.spec.slug}`;
  // Not "trellis/<slug>/<key>": a ref cannot be both a branch and a folder of branches.
  const taskBranch = `trellis/${task.spec.slug}--task-${branchSafe(task.key)}`;
  const agent =
    options.agent ??
    getAgentBackend({ command: task.project.agentCommand, orgSettings: task.org.settings });
  const taskRef = { id: task.id, key: task.key };

  // The budget is checked before anything starts: an exhausted spec pauses (its tasks, this
  // one included, go back to waiting) instead of spending more.
  const budget = await enforceSpecBudget(db, {
    orgId: task.orgId,
    specId: task.specId,
    task: taskRef,
  });
  if (budget.exceeded || budget.paused) return "paused";

  const run = await db.run.create({
    data: {
      orgId: task.orgId,
      taskId: task.id,
      specId: task.specId,
      attempt: task.attempts,
      status: "RUNNING",
      agentKind: agent.kind,
      branch: taskBranch,
      workerId: options.workerId,
      startedAt: new Date(),
      heartbeatAt: new Date(),
    },
    select: { id: true },
  });

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
  const guardian = createRunGuardian(options.guardian);
  const log = (stream: AgentLogStream, text: string) => {
    guardian.progress();
    logs.push({ stream, text });
  };

  // One controller for every reason to stop: lease lost or cancelled, time limit, worker shutdown.
  const stop = new AbortController();
  let stopReason: "lost" | "timeout" | "shutdown" | "paused" | null = null;
  const abort = (reason: "lost" | "timeout" | "shutdown" | "paused") => {
    if (!stop.signal.aborted) {
      stopReason = reason;
      stop.abort(reason);
    }
  };
  options.signal?.addEventListener("abort", () => abort("shutdown"), { once: true });
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

  // The guardian's interventions: each recorded with its reason; an escalation ends the run
  // (the task goes to a person), a restart ends only the agent's current attempt.
  const records: Promise<unknown>[] = [];
  let escalation: string | null = null;
  let restartReason = "";
  let round = new AbortController();
  const intervene = (verdict: GuardianVerdict) => {
    log("SYSTEM", `Guardian (${verdict.action.toLowerCase()}): ${verdict.reason}`);
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
    if (verdict.action === "ESCALATE") escalation ??= verdict.reason;
    if (verdict.action === "RESTART") restartReason = verdict.reason;
    if (verdict.action !== "NUDGE") round.abort(verdict.action);
  };
  const watch = setInterval(() => {
    const verdict = guardian.check();
    if (verdict) intervene(verdict);
  }, options.guardianCheckMs ?? 15_000);

  let worktree: string | null = null;
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const recordUsage = async (u: AgentUsage) => {
    usage.inputTokens += u.inputTokens;
    usage.outputTokens += u.outputTokens;
    usage.costUsd += u.costUsd;
    guardian.progress();
    await db.usageRecord.create({
      data: {
        orgId: task.orgId,
        specId: task.specId,
        taskId: task.id,
        runId: run.id,
        role: "coder",
        model: u.model,
        inputTokens: u.inputTokens,
        outputTokens: u.outputTokens,
        costUsd: new Prisma.Decimal(u.costUsd.toFixed(6)),
      },
    });
    const after = await enforceSpecBudget(db, {
      orgId: task.orgId,
      specId: task.specId,
      task: taskRef,
      runId: run.id,
    });
    if (after.exceeded || after.paused) abort("paused");
  };

  try {
    if (!repoPath || task.project.repoKind !== "LOCAL") {
      throw new StopRun("failed", "The project has no local repository to work in.");
    }
    log(
      "SYSTEM",
      `${agent.kind.toLowerCase()} agent on ${taskBranch} (from ${integrationBranch}), try ${task.attempts}`,
    );
    await ensureIntegrationBranch({
      repoPath,
      baseBranch: task.project.defaultBranch,
      branch: integrationBranch,
    });
    if (!task.spec.integrationBranch) {
      await db.spec.update({ where: { id: task.specId }, data: { integrationBranch } });
    }
    worktree = (
      await createTaskWorktree({
        repoPath,
        worktreesRoot: options.worktreesRoot,
        branch: taskBranch,
        from: integrationBranch,
        dirName: task.id,
      })
    ).path;

    let feedback: string | undefined;
    let commitSha: string | null = null;
    let summary = "";
    for (let attempt = 1; ; attempt++) {
      const result = await agent.run({
        worktree,
        signal: AbortSignal.any([stop.signal, round.signal]),
        log,
        heartbeat: () => {},
        recordUsage,
        budgetUsd: budget.remainingUsd ?? undefined,
        reviewToolCall: ({ name, input }) => {
          const verdict = guardian.toolCall(name, input);
          if (!verdict) return { action: "run" };
          intervene(verdict);
          return verdict.action === "NUDGE"
            ? { action: "nudge", message: verdict.message }
            : { action: "stop", reason: verdict.reason };
        },
        task: {
          id: task.id,
          key: task.key,
          title: task.title,
          description: task.description,
          requirementIds: task.requirementIds,
          files: task.files,
          specTitle: task.spec.title,
          attempt: task.attempts,
          feedback,
        },
      });
      if (stop.signal.aborted) throw new StopRun("failed", "stopped");
      if (escalation) throw new StopRun("needs_attention", `Guardian: ${escalation}`);
      if (round.signal.aborted) {
        // Restarted by the guardian: the same round again, from a fresh start.
        round = new AbortController();
        attempt--;
        feedback = `Your previous attempt was stopped by the guardian (${restartReason}) and restarted. Work in smaller steps and report progress.`;
        log("SYSTEM", "Guardian restarted the agent.");
        continue;
      }
      if (result.outcome !== "completed") {
        throw new StopRun(
          result.outcome === "stopped" ? "needs_attention" : "failed",
          result.error ??
            `The agent ${result.outcome === "stopped" ? "stopped" : "failed"}: ${result.summary}`,
        );
      }
      summary = result.summary;
      commitSha =
        (await commitAll({
          path: worktree,
          message: `${task.key} ${task.title}\n\nTrellis task ${task.id}`,
        })) ?? commitSha;

      await setTaskVerifying(db, { taskId: task.id, workerId: options.workerId });
      const verdict = await runVerification(db, {
        orgId: task.orgId,
        runId: run.id,
        worktree,
        commands: task.project,
        signal: stop.signal,
        log,
      });
      if (!verdict.passed) {
        if (attempt >= maxRounds)
          throw new StopRun("failed", verdict.feedback ?? "Verification failed.");
        log(
          "SYSTEM",
          `verification failed; back to the agent (round ${attempt + 1} of ${maxRounds})`,
        );
        feedback = verdict.feedback ?? undefined;
        continue;
      }

      const diff = await diffOf({ path: worktree, base: integrationBranch });
      const merged = await mergeIntoIntegration({
        repoPath,
        worktreesRoot: options.worktreesRoot,
        integrationBranch,
        branch: taskBranch,
      });
      if (!merged.ok) {
        if (attempt >= maxRounds) {
          throw new StopRun(
            "needs_attention",
            `Merge conflict with ${integrationBranch}: ${merged.conflict}`,
          );
        }
        log("SYSTEM", `merge conflict; back to the agent (round ${attempt + 1} of ${maxRounds})`);
        feedback = `Merging into ${integrationBranch} conflicted:\n${merged.conflict}\nRebase your change on the current ${integrationBranch} content and resolve it.`;
        // The next round starts from the current integration branch with this try's work redone.
        worktree = (
          await createTaskWorktree({
            repoPath,
            worktreesRoot: options.worktreesRoot,
            branch: taskBranch,
            from: integrationBranch,
            dirName: task.id,
          })
        ).path;
        continue;
      }

      await logs.close();
      await db.run.update({
        where: { id: run.id },
        data: {
          status: "SUCCEEDED",
          commitSha: merged.sha ?? commitSha,
          summary,
          diff,
          finishedAt: new Date(),
          ...usageData(usage),
        },
      });
      await completeTask(db, { taskId: task.id, workerId: options.workerId, ...usageData(usage) });
      await finishSpecExecution(db, { orgId: task.orgId, specId: task.specId });
      return "done";
    }
  } catch (error) {
    const reason: string | null = stopReason;
    const message =
      reason === "timeout"
        ? `The task ran over its time limit of ${Math.round(task.timeoutSeconds / 60)} minutes and was stopped.`
        : reason === "paused"
          ? "Paused: the spec reached its budget. The task waits until a person resumes the spec."
          : reason === "lost"
            ? "The task was cancelled or handed to another worker."
            : reason === "shutdown"
              ? "The worker shut down; the task will run again."
              : error instanceof StopRun
                ? error.message
                : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    log("SYSTEM", message);
    await logs.close().catch(() => {});
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
          errorKind: error instanceof StopRun && !error.retryable ? "PERMANENT" : "RETRYABLE",
          finishedAt: new Date(),
          ...usageData(usage),
        },
      })
      .catch(() => {});
    if (reason === "lost") return "lost";
    if (reason === "paused") return "paused"; // the pause already sent the task back to waiting
    if (reason === "shutdown") return "lost"; // the lease lapses and the task is requeued
    if (error instanceof StopRun && error.outcome === "needs_attention") {
      await markNeedsAttention(db, {
        taskId: task.id,
        workerId: options.workerId,
        reason: message,
      });
      return "needs_attention";
    }
    await failTask(db, {
      taskId: task.id,
      workerId: options.workerId,
      error: message,
      retryable: !(error instanceof StopRun) && reason !== "timeout",
    });
    return "failed";
  } finally {
    clearInterval(heartbeat);
    clearInterval(watch);
    clearTimeout(timeLimit);
    await Promise.all(records);
    if (worktree && repoPath) await removeWorktree({ repoPath, path: worktree }).catch(() => {});
  }
}

function usageData(usage: { inputTokens: number; outputTokens: number; costUsd: number }) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: new Prisma.Decimal(usage.costUsd.toFixed(6)),
  };
}
