import "server-only";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type {
  AgentBackend,
  AgentResult,
  AgentRunContext,
  AgentTask,
} from "@/lib/agents/backends/agent-backend";
import { traceEvent } from "@/lib/agents/backends/agent-trace";
import { resolveInside } from "@/lib/workspaces/safe-path";

/**
 * TEST HOOKS — markers in a task's description (or its spec's title, so a ticket title can
 * carry them end to end) that make the offline agent misbehave on purpose, so orchestrator,
 * guardian and retry tests can exercise failure paths without a model:
 *
 * - `[offline:fail]`      the run ends with outcome "failed" (after any sleep below).
 * - `[offline:sleep N]`   the agent waits N ms before working, heart-beating meanwhile and
 *                         returning "stopped" as soon as the abort signal fires.
 * - `[offline:repeat]`    the agent asks to make the same tool call over and over, as a stuck
 *                         model would, until the guardian stops it.
 *
 * Real task descriptions never contain them; the planner has no reason to write them.
 */
export const OFFLINE_FAIL_MARKER = "[offline:fail]";
export const OFFLINE_SLEEP_MARKER = /\[offline:sleep (\d+)\]/;
export const OFFLINE_REPEAT_MARKER = "[offline:repeat]";
/** A stuck loop that no guardian stops ends here. */
const REPEAT_LIMIT = 50;

export interface OfflineAgentOptions {
  /** How often to heartbeat during an `[offline:sleep N]`; default 1 s. */
  heartbeatMs?: number;
}

/** The note's path inside the worktree: `.trellis/tasks/<key>-<slug>.md`. */
export function offlineNotePath(task: Pick<AgentTask, "key" | "title">): string {
  const key = slugify(task.key, 40) || "task";
  const slug = slugify(task.title, 48);
  return path.posix.join(".trellis", "tasks", slug ? `${key}-${slug}.md` : `${key}.md`);
}

/**
 * The deterministic, clearly labelled offline agent: no model and no network. For each task it
 * writes one small real change (a note recording the task), so the rest of the pipeline —
 * commit, verification, merge — runs on a genuine diff in tests and the no-key demo.
 */
export class OfflineAgent implements AgentBackend {
  readonly kind = "OFFLINE" as const;
  private readonly heartbeatMs: number;

  constructor(options: OfflineAgentOptions = {}) {
    this.heartbeatMs = Math.max(10, options.heartbeatMs ?? 1000);
  }

  async run(ctx: AgentRunContext): Promise<AgentResult> {
    const { task } = ctx;
    ctx.log("SYSTEM", `Offline agent (deterministic stand-in, no model) on ${task.key}.`);
    ctx.trace?.(
      traceEvent("note", "offline agent", new Date(), {
        text: "Deterministic stand-in: no model is called.",
        attempt: task.attempt,
      }),
    );
    ctx.heartbeat();
    if (ctx.signal.aborted) return stopped(0);

    const hooks = `${task.description}\n${task.specTitle}`;
    const sleep = OFFLINE_SLEEP_MARKER.exec(hooks);
    if (sleep) {
      const ms = Number(sleep[1]);
      ctx.log("SYSTEM", `Test hook [offline:sleep ${ms}]: waiting ${ms} ms.`);
      const finished = await this.sleepWithHeartbeat(ms, ctx);
      if (!finished) {
        ctx.log("SYSTEM", "Stopped: the run was cancelled.");
        return stopped(0);
      }
    }

    if (hooks.includes(OFFLINE_REPEAT_MARKER)) {
      ctx.log("SYSTEM", `Test hook ${OFFLINE_REPEAT_MARKER}: repeating one tool call.`);
      return repeatUntilStopped(ctx);
    }

    if (hooks.includes(OFFLINE_FAIL_MARKER)) {
      const error = `Test hook ${OFFLINE_FAIL_MARKER}: the offline agent fails this task on purpose.`;
      ctx.log("SYSTEM", error);
      return {
        outcome: "failed",
        summary: "The offline agent failed on purpose.",
        error,
        toolCalls: 0,
      };
    }

    const relative = offlineNotePath(task);
    let target: string;
    try {
      target = await resolveInside(ctx.worktree, relative);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { outcome: "failed", summary: "", error: message, toolCalls: 1 };
    }
    const started = new Date();
    const content = noteFor(task);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content, "utf8");
    ctx.trace?.(
      traceEvent("tool_call", "write_file", started, {
        input: { path: relative, content },
        output: `Wrote ${relative}.`,
        isError: false,
      }),
    );
    ctx.log("AGENT", `Wrote ${relative} (offline agent: records the task; no code was generated).`);
    return {
      outcome: "completed",
      summary: `Offline agent recorded ${task.key} in ${relative}.`,
      toolCalls: 1,
    };
  }

  /** True when the wait ran its course, false when the signal aborted it. */
  private sleepWithHeartbeat(ms: number, ctx: AgentRunContext): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (finished: boolean) => {
        clearTimeout(timer);
        clearInterval(beat);
        ctx.signal.removeEventListener("abort", onAbort);
        resolve(finished);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      const beat = setInterval(() => ctx.heartbeat(), this.heartbeatMs);
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      if (ctx.signal.aborted) done(false);
    });
  }
}

/** The `[offline:repeat]` hook: the same call every time, whatever the answer, until told to stop. */
function repeatUntilStopped(ctx: AgentRunContext): AgentResult {
  const call = { name: "read_file", input: { path: "README.md" } };
  for (let calls = 1; calls <= REPEAT_LIMIT; calls++) {
    if (ctx.signal.aborted) return stopped(calls - 1);
    ctx.log("AGENT", `→ read_file(path=README.md)`);
    const verdict = ctx.reviewToolCall?.(call);
    ctx.trace?.(
      traceEvent("tool_call", call.name, new Date(), {
        input: call.input,
        verdict: verdict?.action ?? "run",
      }),
    );
    if (verdict?.action === "stop") {
      return { outcome: "stopped", summary: "", error: verdict.reason, toolCalls: calls };
    }
    ctx.heartbeat();
  }
  return {
    outcome: "failed",
    summary: "",
    error: `Test hook ${OFFLINE_REPEAT_MARKER}: ${REPEAT_LIMIT} identical calls and nothing stopped them.`,
    toolCalls: REPEAT_LIMIT,
  };
}

function stopped(toolCalls: number): AgentResult {
  return { outcome: "stopped", summary: "", error: "The run was cancelled.", toolCalls };
}

function slugify(text: string, max: number): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/** No timestamps: the same task (and attempt) always produces the same bytes. */
function noteFor(task: AgentTask): string {
  const lines = [
    `# ${task.key}: ${task.title}`,
    "",
    "_Written by the Trellis offline agent (deterministic stand-in; no model was called)._",
    "",
    `- Spec: ${task.specTitle}`,
    `- Task id: ${task.id}`,
    `- Attempt: ${task.attempt}`,
    `- Requirements: ${task.requirementIds.length ? task.requirementIds.join(", ") : "(none)"}`,
  ];
  if (task.files.length) lines.push(`- Files: ${task.files.join(", ")}`);
  lines.push("", "## Description", "", task.description.trim() || "(no description)");
  if (task.feedback?.trim()) {
    lines.push("", "## Feedback from the previous attempt", "", task.feedback.trim());
  }
  return `${lines.join("\n")}\n`;
}
