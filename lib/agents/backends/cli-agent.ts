import "server-only";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {
  AgentBackend,
  AgentResult,
  AgentRunContext,
} from "@/lib/agents/backends/agent-backend";
import { TRACE_STRING_LIMIT, traceEvent } from "@/lib/agents/backends/agent-trace";
import { sandboxOutputTo } from "@/lib/agents/backends/claude-tools";
import { outputTail, taskPrompt } from "@/lib/agents/backends/task-prompt";
import { runSandboxed } from "@/lib/workspaces/run-sandboxed";

export interface CliAgentOptions {
  /** Shell command run in the worktree (`/bin/sh -c`), e.g. a coding-agent CLI or a script. */
  command: string;
  /** Wall-clock limit for the whole run; default 30 minutes. */
  timeoutMs?: number;
  /** Output kept (and streamed); default 1 MiB. */
  maxOutputBytes?: number;
  /**
   * Default "allowed": coding-agent CLIs call their model's API. "none" suits scripts that need
   * no network.
   */
  network?: "none" | "allowed";
  /** Extra variables for the command (its own API key, say); the server's env is never passed. */
  env?: Record<string, string>;
  /** How often to heartbeat while the command runs; default 10 s. */
  heartbeatMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_MAX_OUTPUT = 1024 * 1024;

/**
 * An external agent: any command, run in the worktree with the task in its environment
 * (TRELLIS_TASK_ID, TRELLIS_TASK_KEY, TRELLIS_TASK_TITLE, TRELLIS_TASK_PROMPT_FILE). Exit 0 means
 * done; anything else fails the run with the tail of its output.
 */
export class CliAgent implements AgentBackend {
  readonly kind = "CLI" as const;
  private readonly options: CliAgentOptions;

  constructor(options: CliAgentOptions) {
    if (!options.command.trim()) throw new Error("CliAgent needs a command");
    this.options = options;
  }

  async run(ctx: AgentRunContext): Promise<AgentResult> {
    const { task } = ctx;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Outside the worktree, so the prompt never ends up in the task's commit.
    const promptDir = await mkdtemp(path.join(os.tmpdir(), "trellis-prompt-"));
    const promptFile = path.join(promptDir, `${task.key.replace(/[^A-Za-z0-9_-]+/g, "_")}.md`);
    await writeFile(promptFile, taskPrompt(task), "utf8");

    ctx.log("SYSTEM", `CLI agent: $ ${this.options.command}`);
    ctx.heartbeat();
    const beat = setInterval(
      () => ctx.heartbeat(),
      Math.max(10, this.options.heartbeatMs ?? 10_000),
    );
    const stdout = sandboxOutputTo(ctx.log);
    const started = new Date();
    try {
      const result = await runSandboxed({
        cwd: ctx.worktree,
        command: this.options.command,
        env: {
          ...this.options.env,
          TRELLIS_TASK_ID: task.id,
          TRELLIS_TASK_KEY: task.key,
          TRELLIS_TASK_TITLE: task.title,
          TRELLIS_TASK_ATTEMPT: String(task.attempt),
          TRELLIS_TASK_PROMPT_FILE: promptFile,
        },
        // The sandbox hides the rest of the temp dir (other runs' prompts among them).
        visible: [promptDir],
        timeoutMs,
        maxOutputBytes: this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
        network: this.options.network ?? "allowed",
        signal: ctx.signal,
        onOutput: (event) => {
          ctx.heartbeat();
          stdout(event);
        },
      });
      const seconds = (result.durationMs / 1000).toFixed(1);
      // The prompt file and the output; never the environment (it may hold the agent's key).
      ctx.trace?.(
        traceEvent(
          "command",
          "agent",
          started,
          {
            command: this.options.command,
            prompt: taskPrompt(task),
            exitCode: result.exitCode,
            timedOut: result.timedOut,
            cancelled: result.cancelled,
            output: outputTail(result.output, TRACE_STRING_LIMIT),
          },
          result.durationMs,
        ),
      );
      if (result.cancelled) {
        ctx.log("SYSTEM", "CLI agent stopped: the run was cancelled.");
        return { outcome: "stopped", summary: "", error: "The run was cancelled.", toolCalls: 0 };
      }
      if (result.timedOut) {
        const error = `The agent command timed out after ${Math.round(timeoutMs / 1000)} s.\n${outputTail(result.output)}`;
        ctx.log("SYSTEM", `CLI agent timed out after ${seconds} s.`);
        return { outcome: "failed", summary: "", error: error.trimEnd(), toolCalls: 0 };
      }
      if (result.exitCode !== 0) {
        const how =
          result.exitCode === null
            ? `was killed by ${result.signal ?? "a signal"}`
            : `exited with code ${result.exitCode}`;
        ctx.log("SYSTEM", `CLI agent ${how} after ${seconds} s.`);
        const tail = outputTail(result.output);
        return {
          outcome: "failed",
          summary: "",
          error: `The agent command ${how}.${tail ? `\n${tail}` : ""}`,
          toolCalls: 0,
        };
      }
      ctx.log("SYSTEM", `CLI agent finished in ${seconds} s.`);
      return { outcome: "completed", summary: summaryOf(result.output), toolCalls: 0 };
    } finally {
      clearInterval(beat);
      await rm(promptDir, { recursive: true, force: true }).catch(() => {});
    }
  }
}

/** The command's last words (most agent CLIs end with a summary), or a plain statement. */
function summaryOf(output: string): string {
  const tail = outputTail(output, 1000).trim();
  return tail || "The agent command finished without output.";
}
