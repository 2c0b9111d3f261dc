import "server-only";
import type { AgentBackend, AgentLogStream, AgentUsage } from "@/lib/agents/backends/agent-backend";
import { getAgentBackend } from "@/lib/agents/backends/get-agent-backend";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { syncGithubMirror } from "@/lib/github/repository-mirror";
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
  signal?: AbortSignal;
}

export type RunTaskOutcome = "done" | "failed" | "needs_attention" | "lost" | "cancelled";

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
  let repoPath = task.project.localPath;
  const integrationBranch = task.spec.integrationBranch ?? `trellis/${task.spec.slug}`;
  // Not "trellis/<slug>/<key>": a ref cannot be both a branch and a folder of branches.
  const taskBranch = `trellis/${task.spec.slug}--task-${branchSafe(task.key)}`;
  const agent =
    options.agent ??
    getAgentBackend({ command: task.project.agentCommand, orgSettings: task.org.settings });

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
  const log = (stream: AgentLogStream, text: string) => logs.push({ stream, text });

  // One controller for every reason to stop: lease lost or cancelled, time limit, worker shutdown.
  const stop = new AbortController();
  let stopReason: "lost" | "timeout" | "shutdown" | null = null;
  const abort = (reason: "lost" | "timeout" | "shutdown") => {
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

  let worktree: string | null = null;
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const recordUsage = async (u: AgentUsage) => {
    usage.inputTokens += u.inputTokens;
    usage.outputTokens += u.outputTokens;
    usage.costUsd += u.costUsd;
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
  };

  try {
    // A GitHub project works in a local mirror of its repository, fetched with a short-lived token.
    if (task.project.repoKind === "GITHUB") {
      repoPath = await syncGithubMirror(db, { projectId: task.projectId });
    }
    if (!repoPath) {
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
    for (let round = 1; ; round++) {
      const result = await agent.run({
        worktree,
        signal: stop.signal,
        log,
        heartbeat: () => {},
        recordUsage,
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
        if (round >= maxRounds)
          throw new StopRun("failed", verdict.feedback ?? "Verification failed.");
        log(
          "SYSTEM",
          `verification failed; back to the agent (round ${round + 1} of ${maxRounds})`,
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
        if (round >= maxRounds) {
          throw new StopRun(
            "needs_attention",
            `Merge conflict with ${integrationBranch}: ${merged.conflict}`,
          );
        }
        log("SYSTEM", `merge conflict; back to the agent (round ${round + 1} of ${maxRounds})`);
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
          status: reason === "timeout" ? "TIMED_OUT" : reason === "lost" ? "CANCELLED" : "FAILED",
          errorMessage: message,
          errorKind: error instanceof StopRun && !error.retryable ? "PERMANENT" : "RETRYABLE",
          finishedAt: new Date(),
          ...usageData(usage),
        },
      })
      .catch(() => {});
    if (reason === "lost") return "lost";
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
    clearTimeout(timeLimit);
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
