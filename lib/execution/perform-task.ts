import "server-only";
import type {
  AgentBackend,
  AgentLogStream,
  AgentTask,
  AgentUsage,
} from "@/lib/agents/backends/agent-backend";
import { type TraceEvent, traceEvent } from "@/lib/agents/backends/agent-trace";
import {
  createRunGuardian,
  type GuardianLimits,
  type GuardianVerdict,
} from "@/lib/guardian/run-guardian";
import {
  commitAll,
  createTaskWorktree,
  diffOf,
  ensureIntegrationBranch,
  mergeIntoIntegration,
  removeWorktree,
} from "@/lib/workspaces/git-workspace";
import {
  runVerification,
  type VerificationCommands,
  type VerificationStep,
} from "./run-verification";

/**
 * The work of one task, wherever it runs — the built-in runner (lib/execution/run-task.ts,
 * which keeps the record in the database) and self-hosted runners (lib/runners/client, which
 * report over HTTP): a worktree on the task's branch cut from the spec's integration branch,
 * the agent under the guardian's watch, a commit, verification (failures fed back to the
 * agent, bounded), and a merge into the integration branch (conflicts fed back, then a
 * person). The worktree is removed at the end. Nothing here knows where the record is kept.
 */
export interface PerformTaskOptions {
  /** The repository the worktrees hang off (the user's local repo, or a runner's clone). */
  repoPath: string;
  worktreesRoot: string;
  /** The worktree's folder name under worktreesRoot (the task id: one worktree per task). */
  dirName: string;
  baseBranch: string;
  integrationBranch: string;
  taskBranch: string;
  agent: AgentBackend;
  task: Omit<AgentTask, "feedback">;
  commands: VerificationCommands;
  /** Agent and verification rounds: the first try plus fixes after failures or conflicts. */
  maxRounds: number;
  /** Aborted on cancel, lost lease, time limit, budget or shutdown: the caller knows why. */
  signal: AbortSignal;
  /** USD the agent may still spend. */
  budgetUsd?: number;
  guardian?: Partial<GuardianLimits>;
  /** How often the guardian checks for a silent run; default 15 s. */
  guardianCheckMs?: number;
  hooks: PerformTaskHooks;
}

export interface PerformTaskHooks {
  log(stream: AgentLogStream, text: string): void;
  recordUsage(usage: AgentUsage): Promise<void>;
  /** The agent's change is committed and verification starts. */
  verifying(): Promise<void>;
  /** One verification command finished. */
  verification(step: VerificationStep): Promise<void>;
  /** The guardian intervened (already logged); the caller records it. */
  intervention(verdict: GuardianVerdict): void;
  /** One step of the run's trace (the agent's model and tool calls, verification, notes). */
  trace(event: TraceEvent): void;
}

export type PerformTaskResult =
  | { outcome: "done"; summary: string; commitSha: string | null; diff: string }
  | { outcome: "failed" | "needs_attention"; error: string }
  /** The signal fired: the caller decides what that means. */
  | { outcome: "aborted" };

class StopWork extends Error {
  constructor(
    readonly outcome: "failed" | "needs_attention",
    message: string,
  ) {
    super(message);
  }
}

export async function performTask(options: PerformTaskOptions): Promise<PerformTaskResult> {
  const { hooks, signal, repoPath } = options;
  const guardian = createRunGuardian(options.guardian);
  const log = (stream: AgentLogStream, text: string) => {
    guardian.progress();
    hooks.log(stream, text);
  };

  // An escalation ends the work (the task goes to a person); a restart ends only the agent's
  // current attempt.
  let escalation: string | null = null;
  let restartReason = "";
  let round = new AbortController();
  const intervene = (verdict: GuardianVerdict) => {
    log("SYSTEM", `Guardian (${verdict.action.toLowerCase()}): ${verdict.reason}`);
    hooks.trace(
      traceEvent("note", "guardian", new Date(), { action: verdict.action, error: verdict.reason }),
    );
    hooks.intervention(verdict);
    if (verdict.action === "ESCALATE") escalation ??= verdict.reason;
    if (verdict.action === "RESTART") restartReason = verdict.reason;
    if (verdict.action !== "NUDGE") round.abort(verdict.action);
  };
  const watch = setInterval(() => {
    const verdict = guardian.check();
    if (verdict) intervene(verdict);
  }, options.guardianCheckMs ?? 15_000);

  let worktree: string | null = null;
  const freshWorktree = async () =>
    (
      await createTaskWorktree({
        repoPath,
        worktreesRoot: options.worktreesRoot,
        branch: options.taskBranch,
        from: options.integrationBranch,
        dirName: options.dirName,
      })
    ).path;

  try {
    log(
      "SYSTEM",
      `${options.agent.kind.toLowerCase()} agent on ${options.taskBranch} (from ${options.integrationBranch}), try ${options.task.attempt}`,
    );
    await ensureIntegrationBranch({
      repoPath,
      baseBranch: options.baseBranch,
      branch: options.integrationBranch,
    });
    worktree = await freshWorktree();

    let feedback: string | undefined;
    let commitSha: string | null = null;
    for (let attempt = 1; ; attempt++) {
      hooks.trace(
        traceEvent("note", "agent round", new Date(), {
          agent: options.agent.kind,
          attempt,
          ...(feedback ? { feedback } : {}),
        }),
      );
      const result = await options.agent.run({
        worktree,
        signal: AbortSignal.any([signal, round.signal]),
        log,
        heartbeat: () => {},
        recordUsage: async (usage) => {
          guardian.progress();
          await hooks.recordUsage(usage);
        },
        budgetUsd: options.budgetUsd,
        trace: hooks.trace,
        reviewToolCall: ({ name, input }) => {
          const verdict = guardian.toolCall(name, input);
          if (!verdict) return { action: "run" };
          intervene(verdict);
          return verdict.action === "NUDGE"
            ? { action: "nudge", message: verdict.message }
            : { action: "stop", reason: verdict.reason };
        },
        task: { ...options.task, feedback },
      });
      if (signal.aborted) return { outcome: "aborted" };
      if (escalation) throw new StopWork("needs_attention", `Guardian: ${escalation}`);
      if (round.signal.aborted) {
        // Restarted by the guardian: the same round again, from a fresh start.
        round = new AbortController();
        attempt--;
        feedback = `Your previous attempt was stopped by the guardian (${restartReason}) and restarted. Work in smaller steps and report progress.`;
        log("SYSTEM", "Guardian restarted the agent.");
        continue;
      }
      if (result.outcome !== "completed") {
        throw new StopWork(
          result.outcome === "stopped" ? "needs_attention" : "failed",
          result.error ??
            `The agent ${result.outcome === "stopped" ? "stopped" : "failed"}: ${result.summary}`,
        );
      }
      commitSha =
        (await commitAll({
          path: worktree,
          message: `${options.task.key} ${options.task.title}\n\nTrellis task ${options.task.id}`,
        })) ?? commitSha;

      await hooks.verifying();
      const verdict = await runVerification({
        worktree,
        commands: options.commands,
        signal,
        log,
        onStep: async (step) => {
          const started = new Date(Date.now() - step.durationMs);
          hooks.trace(traceEvent("verification", step.kind, started, { ...step }, step.durationMs));
          await hooks.verification(step);
        },
      });
      if (signal.aborted) return { outcome: "aborted" };
      if (!verdict.passed) {
        if (attempt >= options.maxRounds) {
          throw new StopWork("failed", verdict.feedback ?? "Verification failed.");
        }
        log(
          "SYSTEM",
          `verification failed; back to the agent (round ${attempt + 1} of ${options.maxRounds})`,
        );
        feedback = verdict.feedback ?? undefined;
        continue;
      }

      const diff = await diffOf({ path: worktree, base: options.integrationBranch });
      const merged = await mergeIntoIntegration({
        repoPath,
        worktreesRoot: options.worktreesRoot,
        integrationBranch: options.integrationBranch,
        branch: options.taskBranch,
      });
      if (!merged.ok) {
        if (attempt >= options.maxRounds) {
          throw new StopWork(
            "needs_attention",
            `Merge conflict with ${options.integrationBranch}: ${merged.conflict}`,
          );
        }
        log(
          "SYSTEM",
          `merge conflict; back to the agent (round ${attempt + 1} of ${options.maxRounds})`,
        );
        feedback = `Merging into ${options.integrationBranch} conflicted:\n${merged.conflict}\nRebase your change on the current ${options.integrationBranch} content and resolve it.`;
        // The next round starts from the current integration branch with this try's work redone.
        worktree = await freshWorktree();
        continue;
      }
      return { outcome: "done", summary: result.summary, commitSha: merged.sha ?? commitSha, diff };
    }
  } catch (error) {
    if (signal.aborted) return { outcome: "aborted" };
    if (error instanceof StopWork) return { outcome: error.outcome, error: error.message };
    throw error;
  } finally {
    clearInterval(watch);
    if (worktree) await removeWorktree({ repoPath, path: worktree }).catch(() => {});
  }
}
