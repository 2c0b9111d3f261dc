import "server-only";
import path from "node:path";
import { redactTraceEvent, type TraceEvent } from "@/lib/agents/backends/agent-trace";
import { getAgentBackend } from "@/lib/agents/backends/get-agent-backend";
import { createBatcher, createLogBatcher } from "@/lib/execution/log-batcher";
import { performTask } from "@/lib/execution/perform-task";
import type { RunnerAssignment } from "@/lib/runners/claim-runner-task";
import { cloneOrFetch, pushToOrigin, syncBranchesFromOrigin } from "@/lib/workspaces/git-workspace";
import type { RunnerApi } from "./runner-api";

export type AssignmentOutcome = "done" | "failed" | "needs_attention" | "timed_out" | "lost";

/**
 * Does one claimed task on this machine and reports it: a clone of the project's repository
 * under `workdir` (fetched, branches synced from origin), the same work as the built-in
 * runner (performTask), logs in batches (2 s or 50 lines), heartbeats, then the task branch
 * and integration branch pushed to origin and the result reported. Source code never goes to
 * the server: only logs, verification output, a diff stat and the commit id.
 */
export async function runAssignment(options: {
  api: RunnerApi;
  assignment: RunnerAssignment;
  workdir: string;
  signal: AbortSignal;
  log?: (message: string) => void;
}): Promise<AssignmentOutcome> {
  const { api, assignment: a } = options;
  const lease = { attempt: a.task.attempt, runId: a.runId };
  const clonePath = path.join(options.workdir, "repos", a.project.id);
  const worktreesRoot = path.join(options.workdir, "worktrees");

  let seq = 0;
  const logs = createLogBatcher({
    flush: async (lines) => {
      await api.report(a.task.id, "logs", {
        ...lease,
        lines: lines.map((l) => ({ seq: seq++, stream: l.stream, text: l.text.slice(0, 8000) })),
      });
    },
    onError: (error) => options.log?.(`could not ship logs: ${String(error)}`),
  });

  // The trace goes out redacted: names, timings, tokens and outcomes, never prompts or code.
  let traceSeq = 0;
  const traces = createBatcher<TraceEvent>({
    flush: async (events) => {
      await api.report(a.task.id, "trace", {
        ...lease,
        events: events.map((event) => ({ seq: traceSeq++, ...redactTraceEvent(event) })),
      });
    },
    onError: (error) => options.log?.(`could not ship the trace: ${String(error)}`),
  });

  const stop = new AbortController();
  let stopReason: "lost" | "timeout" | "shutdown" | null = null;
  const abort = (reason: "lost" | "timeout" | "shutdown") => {
    if (stop.signal.aborted) return;
    stopReason = reason;
    stop.abort(reason);
  };
  // The runner's shutdown signal outlives this task: the listener goes in `finally`.
  const onShutdown = () => abort("shutdown");
  options.signal.addEventListener("abort", onShutdown, { once: true });
  const timeLimit = setTimeout(() => abort("timeout"), a.task.timeoutSeconds * 1000);
  const heartbeat = setInterval(
    () => {
      api
        .report<{ held: boolean }>(a.task.id, "heartbeat", { ...lease, leaseMs: a.leaseMs })
        .then((r) => {
          if (!r.held) abort("lost");
        })
        .catch(() => {}); // a missed beat is fine; the lease is three beats long
    },
    Math.max(1_000, Math.floor(a.leaseMs / 3)),
  );
  const reports: Promise<unknown>[] = [];
  const finish = async (body: Record<string, unknown>) => {
    await logs.close();
    await traces.close();
    await Promise.allSettled(reports);
    await api.report(a.task.id, "finish", { ...lease, ...body });
  };

  try {
    logs.push({
      stream: "SYSTEM",
      text: `Self-hosted runner: ${a.project.cloneUrl} into ${clonePath}`,
    });
    await cloneOrFetch({ cloneUrl: a.project.cloneUrl, clonePath });
    await syncBranchesFromOrigin({
      repoPath: clonePath,
      branches: [a.project.defaultBranch, a.spec.integrationBranch],
    });
    const result = await performTask({
      repoPath: clonePath,
      worktreesRoot,
      dirName: a.task.id,
      baseBranch: a.project.defaultBranch,
      integrationBranch: a.spec.integrationBranch,
      taskBranch: a.spec.taskBranch,
      agent: getAgentBackend({
        kind: a.agentKind,
        command: a.project.agentCommand,
        model: a.model,
      }),
      task: {
        id: a.task.id,
        key: a.task.key,
        title: a.task.title,
        description: a.task.description,
        requirementIds: a.task.requirementIds,
        files: a.task.files,
        specTitle: a.spec.title,
        attempt: a.task.attempt,
      },
      commands: a.project,
      maxRounds: 3,
      signal: stop.signal,
      budgetUsd: a.budgetUsd ?? undefined,
      hooks: {
        log: (stream, text) => logs.push({ stream, text }),
        trace: (event) => traces.push(event),
        recordUsage: async (usage) => {
          const r = await api.report<{ paused: boolean }>(a.task.id, "usage", {
            ...lease,
            model: usage.model,
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
          });
          if (r.paused) abort("lost");
        },
        verifying: async () => {
          await logs.flush();
          await api.report(a.task.id, "verifying", lease);
        },
        verification: async (step) => {
          await api.report(a.task.id, "verification", { ...lease, ...step });
        },
        intervention: (verdict) => {
          reports.push(
            api
              .report(a.task.id, "intervention", {
                ...lease,
                action: verdict.action,
                reason: verdict.reason,
              })
              .catch(() => {}),
          );
        },
      },
    });

    const reason = stopReason as "lost" | "timeout" | "shutdown" | null;
    if (reason === "timeout") {
      await finish({
        outcome: "timed_out",
        error: `The task ran over its time limit of ${Math.round(a.task.timeoutSeconds / 60)} minutes and was stopped.`,
      });
      return "timed_out";
    }
    if (reason || result.outcome === "aborted") {
      await logs.close().catch(() => {});
      await traces.close().catch(() => {});
      return "lost"; // the lease lapses (or already has) and the task is requeued
    }
    if (result.outcome !== "done") {
      await finish({ outcome: result.outcome, error: result.error });
      return result.outcome;
    }
    const pushed = await pushToOrigin({
      repoPath: clonePath,
      worktreesRoot,
      integrationBranch: a.spec.integrationBranch,
      branch: a.spec.taskBranch,
    });
    if (!pushed.ok) {
      await finish({ outcome: "needs_attention", error: `Could not push: ${pushed.conflict}` });
      return "needs_attention";
    }
    logs.push({
      stream: "SYSTEM",
      text: `Pushed ${a.spec.taskBranch} and ${a.spec.integrationBranch} (${pushed.sha.slice(0, 12)}) to origin.`,
    });
    await finish({
      outcome: "done",
      summary: result.summary,
      commitSha: result.commitSha,
      diffStat: diffStat(result.diff),
    });
    return "done";
  } catch (error) {
    const message = `Runner error: ${error instanceof Error ? error.message : String(error)}`;
    logs.push({ stream: "SYSTEM", text: message });
    await finish({ outcome: "failed", error: message }).catch(() => {});
    return "failed";
  } finally {
    options.signal.removeEventListener("abort", onShutdown);
    clearInterval(heartbeat);
    clearTimeout(timeLimit);
  }
}

/** "path | +added -removed" per file: what changed, without the code. */
export function diffStat(diff: string): string {
  const files = new Map<string, { added: number; removed: number }>();
  let current: { added: number; removed: number } | undefined;
  for (const line of diff.split("\n")) {
    const header = /^diff --git a\/(.+?) b\//.exec(line);
    if (header) {
      current = { added: 0, removed: 0 };
      files.set(header[1]!, current);
    } else if (current && line.startsWith("+") && !line.startsWith("+++")) current.added++;
    else if (current && line.startsWith("-") && !line.startsWith("---")) current.removed++;
  }
  return [...files].map(([file, c]) => `${file} | +${c.added} -${c.removed}`).join("\n");
}
