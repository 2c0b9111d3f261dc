import "server-only";
import Anthropic from "@anthropic-ai/sdk";
import type {
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlock,
} from "@anthropic-ai/sdk/resources/messages";
import { createMessageWithRetries } from "@/lib/agents/anthropic-provider";
import type {
  AgentBackend,
  AgentResult,
  AgentRunContext,
} from "@/lib/agents/backends/agent-backend";
import { traceEvent } from "@/lib/agents/backends/agent-trace";
import {
  claudeAgentTools,
  runWorkspaceTool,
  type ToolRunContext,
  toolSchemas,
} from "@/lib/agents/backends/claude-tools";
import { taskPrompt } from "@/lib/agents/backends/task-prompt";
import { isLlmError } from "@/lib/agents/llm-error";
import { costUsd, defaultModelRouting } from "@/lib/agents/models";
import { defaultRetryPolicy, type RetryPolicy } from "@/lib/agents/retry";

export interface ClaudeAgentOptions {
  apiKey: string;
  /** Defaults to https://api.anthropic.com; tests point it at the local fake server. */
  baseURL?: string;
  /** Defaults to the coder role's routing. */
  model?: string;
  /** Used for the rest of the run once `model` stays unavailable through every retry. */
  fallbackModel?: string;
  /** Model calls per run before giving up; default 60. */
  maxTurns?: number;
  maxTokens?: number;
  retry?: Partial<RetryPolicy>;
  /** Per HTTP request; default 10 minutes. */
  requestTimeoutMs?: number;
  /** run_command's time limit; default 5 minutes. */
  commandTimeoutMs?: number;
  /** run_command's output cap; default 256 KiB. */
  commandOutputBytes?: number;
  /** Injected so tests can skip backoff waits. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

const DEFAULT_MAX_TURNS = 60;
const DEFAULT_MAX_TOKENS = 16_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60_000;
// A reply without a tool call gets this many reminders before the run fails.
const MAX_NUDGES = 2;

type RunEnd = Omit<AgentResult, "toolCalls">;

/**
 * The built-in agent: Claude in a tool loop over the Messages API, working in the worktree
 * through list/read/search/write/edit/run tools until it calls `finish`. It stops itself on
 * cancellation, budget, the turn limit, or when the orchestrator's review of a tool call says so.
 */
export class ClaudeAgent implements AgentBackend {
  readonly kind = "CLAUDE" as const;
  private readonly client: Anthropic;
  private readonly baseURL: string;
  private readonly policy: RetryPolicy;
  private readonly options: ClaudeAgentOptions;

  constructor(options: ClaudeAgentOptions) {
    this.options = options;
    this.baseURL = options.baseURL ?? "https://api.anthropic.com";
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: this.baseURL,
      // Retries are ours (lib/agents/retry.ts), as in the structured-output provider.
      maxRetries: 0,
      timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      logLevel: "off",
    });
    this.policy = { ...defaultRetryPolicy, ...options.retry };
  }

  async run(ctx: AgentRunContext): Promise<AgentResult> {
    let toolCalls = 0;
    let end: RunEnd;
    try {
      end = await this.loop(ctx, () => toolCalls++);
    } catch (error) {
      // A tool or usage callback failing unexpectedly: still a result, never a crashed runner.
      end = ctx.signal.aborted
        ? cancelled()
        : {
            outcome: "failed",
            summary: "",
            error: error instanceof Error ? error.message : String(error),
          };
    }
    ctx.log("SYSTEM", `Claude agent ${end.outcome}${end.error ? `: ${end.error}` : "."}`);
    return { ...end, toolCalls };
  }

  private async loop(ctx: AgentRunContext, countToolCall: () => void): Promise<RunEnd> {
    const maxTurns = this.options.maxTurns ?? DEFAULT_MAX_TURNS;
    let model = this.options.model ?? defaultModelRouting.coder.model;
    let fallback = this.options.fallbackModel;
    const tools = claudeAgentTools();
    const system = systemPrompt(ctx);
    const messages: MessageParam[] = [
      { role: "user", content: "Start on the task. Call `finish` when it is done." },
    ];
    const toolCtx: ToolRunContext = {
      worktree: ctx.worktree,
      signal: ctx.signal,
      log: ctx.log,
      commandTimeoutMs: this.options.commandTimeoutMs ?? 5 * 60_000,
      commandOutputBytes: this.options.commandOutputBytes ?? 256 * 1024,
    };
    let spentUsd = 0;
    let nudges = 0;
    // Messages already in the trace: each model call records only what is new since the last.
    let traced = 0;

    const overBudget = (): RunEnd | undefined =>
      ctx.budgetUsd !== undefined && spentUsd >= ctx.budgetUsd
        ? {
            outcome: "stopped",
            summary: "",
            error: `budget exceeded: spent $${spentUsd.toFixed(4)} of $${ctx.budgetUsd.toFixed(4)}`,
          }
        : undefined;

    ctx.log("SYSTEM", `Claude agent (${model}) on ${ctx.task.key}.`);
    for (let turn = 1; turn <= maxTurns; turn++) {
      if (ctx.signal.aborted) return cancelled();
      const over = overBudget();
      if (over) return over;
      ctx.heartbeat();

      let response: Message;
      const callStarted = new Date();
      const prompt = {
        ...(traced === 0 ? { system, tools: tools.map((t) => t.name) } : {}),
        messages: messages.slice(traced),
      };
      try {
        response = await this.send(
          {
            model,
            max_tokens: this.options.maxTokens ?? DEFAULT_MAX_TOKENS,
            system,
            messages,
            tools,
          },
          ctx.signal,
        );
      } catch (error) {
        if (ctx.signal.aborted) return cancelled();
        ctx.trace?.(
          traceEvent("model_call", model, callStarted, {
            model,
            turn,
            ...prompt,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
        if (isLlmError(error) && error.kind === "RETRYABLE_EXHAUSTED" && fallback) {
          ctx.log(
            "SYSTEM",
            `${model} is unavailable (${error.userMessage}); switching to ${fallback}.`,
          );
          model = fallback;
          fallback = undefined;
          turn--;
          continue;
        }
        return {
          outcome: "failed",
          summary: "",
          error: error instanceof Error ? error.message : String(error),
        };
      }

      const inputTokens =
        response.usage.input_tokens +
        (response.usage.cache_creation_input_tokens ?? 0) +
        (response.usage.cache_read_input_tokens ?? 0);
      const outputTokens = response.usage.output_tokens;
      const cost = costUsd(model, inputTokens, outputTokens);
      spentUsd += cost;
      ctx.trace?.(
        traceEvent("model_call", model, callStarted, {
          model,
          turn,
          ...prompt,
          reply: response.content,
          stopReason: response.stop_reason,
          toolUses: response.content.flatMap((b) => (b.type === "tool_use" ? [b.name] : [])),
          inputTokens,
          outputTokens,
          costUsd: cost,
        }),
      );
      await ctx.recordUsage?.({ model, inputTokens, outputTokens, costUsd: cost });
      ctx.heartbeat();

      for (const block of response.content) {
        if (block.type === "text" && block.text.trim()) ctx.log("AGENT", block.text);
      }
      if (response.stop_reason === "refusal") {
        return { outcome: "failed", summary: "", error: "The model declined the task." };
      }

      const calls = response.content.filter(
        (block): block is ToolUseBlock => block.type === "tool_use",
      );
      messages.push({ role: "assistant", content: response.content });
      traced = messages.length;
      if (calls.length === 0) {
        if (++nudges > MAX_NUDGES) {
          return {
            outcome: "failed",
            summary: "",
            error: "The model stopped without calling finish.",
          };
        }
        messages.push({
          role: "user",
          content:
            response.stop_reason === "max_tokens"
              ? "Your reply was cut off. Work in smaller steps with the tools."
              : "Continue with the tools. When the task is done, call `finish` with a summary.",
        });
        continue;
      }
      nudges = 0;

      const results: ToolResultBlockParam[] = [];
      for (const call of calls) {
        countToolCall();
        const toolStarted = new Date();
        const traceTool = (data: Record<string, unknown>) =>
          ctx.trace?.(
            traceEvent("tool_call", call.name, toolStarted, {
              id: call.id,
              input: call.input,
              ...data,
            }),
          );
        ctx.log("AGENT", `→ ${call.name}(${describeInput(call.input)})`);
        const verdict = ctx.reviewToolCall?.({ name: call.name, input: call.input });
        if (verdict?.action === "stop") {
          traceTool({ verdict: "stop", error: verdict.reason });
          return { outcome: "stopped", summary: "", error: verdict.reason };
        }
        if (verdict?.action === "nudge") {
          ctx.log("SYSTEM", `Not run; the agent was told: ${verdict.message}`);
          traceTool({ verdict: "nudge", output: verdict.message, isError: true });
          results.push({
            type: "tool_result",
            tool_use_id: call.id,
            is_error: true,
            content: verdict.message,
          });
          continue;
        }

        if (call.name === "finish") {
          const parsed = toolSchemas.finish.safeParse(call.input);
          traceTool({ isError: !parsed.success });
          if (parsed.success) {
            return { outcome: "completed", summary: parsed.data.summary };
          }
          results.push({
            type: "tool_result",
            tool_use_id: call.id,
            is_error: true,
            content: "finish needs a non-empty `summary` of what you changed.",
          });
          continue;
        }

        const outcome = await runWorkspaceTool(call.name, call.input, toolCtx);
        traceTool({ output: outcome.content, isError: outcome.isError });
        if (ctx.signal.aborted) return cancelled();
        if (outcome.isError)
          ctx.log("SYSTEM", `${call.name} refused: ${firstLine(outcome.content)}`);
        results.push({
          type: "tool_result",
          tool_use_id: call.id,
          content: outcome.content,
          ...(outcome.isError ? { is_error: true } : {}),
        });
        ctx.heartbeat();
      }
      messages.push({ role: "user", content: results });
    }
    return {
      outcome: "failed",
      summary: "",
      error: `reached the turn limit (${maxTurns}) without calling finish`,
    };
  }

  /** One Messages API call with the shared retry policy around it. */
  private send(body: MessageCreateParamsNonStreaming, signal: AbortSignal): Promise<Message> {
    return createMessageWithRetries(this.client, body, {
      policy: this.policy,
      baseURL: this.baseURL,
      random: this.options.random,
      sleep: (ms, s) => (this.options.sleep ?? abortableSleep)(ms, s ?? signal),
      signal,
    });
  }
}

function cancelled(): Omit<AgentResult, "toolCalls"> {
  return { outcome: "stopped", summary: "", error: "The run was cancelled." };
}

function systemPrompt(ctx: AgentRunContext): string {
  return [
    "You are a careful software engineer working on one task of an approved spec.",
    "You work in a git worktree of the project through tools. Paths are relative to the worktree root.",
    "Explore first (list_files, search, read_file), then make focused changes (edit_file for small edits, write_file for new files).",
    "Use run_command to run tests, type checks or builds; commands have no network access and a time limit.",
    "Do not commit, push or switch branches: the orchestrator commits your changes and runs the project's checks afterwards.",
    "When the task is done, call finish once with a short summary of what you changed. If the task cannot be done, call finish and explain why.",
    "",
    "The task:",
    "",
    taskPrompt(ctx.task),
  ].join("\n");
}

/** A one-line view of a tool input for the log: long strings shortened. */
function describeInput(input: unknown): string {
  if (!input || typeof input !== "object") return "";
  return Object.entries(input as Record<string, unknown>)
    .map(([key, value]) => {
      if (typeof value !== "string") return `${key}=${JSON.stringify(value)}`;
      if (key === "content" || key === "old" || key === "new")
        return `${key}=<${value.length} chars>`;
      const shown = value.length > 120 ? `${value.slice(0, 117)}…` : value;
      return `${key}=${JSON.stringify(shown)}`;
    })
    .join(", ");
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
