import "server-only";
import type { Db } from "@/lib/db/client";
import { childLogger } from "@/lib/logger";
import { claimTasks, wakeQueue } from "@/lib/tasks/claim-tasks";
import { requeueStaleTasks } from "@/lib/tasks/requeue-stale-tasks";
import { releaseEndedSpecWorkspaces } from "./release-spec-workspace";
import { runTask } from "./run-task";

export interface ExecutorOptions {
  workerId: string;
  worktreesRoot: string;
  /** Tasks this worker runs at once (the org's plan limit applies on top, in the claim). */
  concurrency: number;
  pollMs?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  staleCheckMs?: number;
}

/**
 * The built-in agent runner in the worker process: requeues tasks whose worker stopped
 * heart-beating, gives ended specs' repositories back (lib/execution/release-spec-workspace.ts),
 * claims up to `concurrency` tasks and runs each to its end. `stop()` lets the running tasks go
 * (their leases lapse and another worker picks them up).
 */
export function startExecutor(db: Db, options: ExecutorOptions) {
  const log = childLogger({ module: "executor", workerId: options.workerId });
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 90_000;
  const staleCheckMs = options.staleCheckMs ?? 15_000;
  const shutdown = new AbortController();
  const running = new Set<Promise<unknown>>();
  let lastStaleCheck = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticking = false;
  // Git work, so beside the claims rather than in their way; one sweep at a time.
  let releasing: Promise<void> | null = null;

  function releaseEnded() {
    if (releasing || shutdown.signal.aborted) return;
    releasing = releaseEndedSpecWorkspaces(db, { worktreesRoot: options.worktreesRoot })
      .then(({ released, failed }) => {
        if (released) log.info({ released }, "ended specs' worktrees removed");
        for (const { specId, error } of failed) {
          log.warn({ err: error, specId }, "removing an ended spec's worktrees failed; will retry");
        }
      })
      .catch((error: unknown) => log.error({ err: error }, "worktree release sweep failed"))
      .finally(() => {
        releasing = null;
      });
  }

  async function tick() {
    if (ticking || shutdown.signal.aborted) return;
    ticking = true;
    try {
      if (Date.now() - lastStaleCheck >= staleCheckMs) {
        lastStaleCheck = Date.now();
        await requeueStaleTasks(db, {});
        await wakeQueue(db);
        releaseEnded();
      }
      const free = options.concurrency - running.size;
      if (free > 0) {
        const claimed = await claimTasks(db, { workerId: options.workerId, limit: free, leaseMs });
        for (const task of claimed) {
          const job = runTask(db, {
            taskId: task.id,
            workerId: options.workerId,
            worktreesRoot: options.worktreesRoot,
            leaseMs,
            heartbeatMs: options.heartbeatMs,
            signal: shutdown.signal,
          })
            .then((outcome) => log.info({ taskId: task.id, outcome }, "task finished"))
            .catch((error) => log.error({ err: error, taskId: task.id }, "task run crashed"))
            .finally(() => {
              running.delete(job);
              schedule(0);
            });
          running.add(job);
        }
      }
    } catch (error) {
      log.error({ err: error }, "executor tick failed");
    } finally {
      ticking = false;
      schedule(pollMs);
    }
  }

  function schedule(delay: number) {
    if (shutdown.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delay);
  }

  schedule(0);
  log.info({ concurrency: options.concurrency }, "executor started");
  return {
    /** Stops claiming; aborts running tasks (they are retried elsewhere) and waits for them to wind down. */
    async stop() {
      shutdown.abort();
      clearTimeout(timer);
      await Promise.allSettled([...running, releasing]);
    },
    get running() {
      return running.size;
    },
  };
}
