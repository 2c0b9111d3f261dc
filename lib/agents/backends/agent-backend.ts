import type { TraceEvent } from "@/lib/agents/backends/agent-trace";

/** One task as an agent sees it: what to build, and why the previous try (if any) was rejected. */
export interface AgentTask {
  id: string;
  key: string;
  title: string;
  description: string;
  requirementIds: string[];
  /** Files the plan expects the task to touch (a hint, not a fence). */
  files: string[];
  specTitle: string;
  /** 1 for the first try. */
  attempt: number;
  /** Verification failures or a merge conflict from the previous try. */
  feedback?: string;
}

export type AgentLogStream = "AGENT" | "STDOUT" | "STDERR" | "SYSTEM";

export interface AgentUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * The orchestrator's answer about one tool call, asked before it runs (the guardian's watch
 * for loops): run it, answer the model with `message` instead of running it, or stop the run.
 */
export type ToolCallVerdict =
  | { action: "run" }
  | { action: "nudge"; message: string }
  | { action: "stop"; reason: string };

export interface AgentRunContext {
  /** Absolute path of the task's git worktree; the agent changes files only in here. */
  worktree: string;
  task: AgentTask;
  /** Aborted when the task is cancelled or the guardian stops the agent. */
  signal: AbortSignal;
  log(stream: AgentLogStream, text: string): void;
  /** Proof of life; the orchestrator treats a silent agent as dead after the stale window. */
  heartbeat(): void;
  /** Tokens and cost so far are reported here, once per model call. */
  recordUsage?(usage: AgentUsage): Promise<void>;
  /** Agents with tool calls ask before each one (absent: every call runs). */
  reviewToolCall?(call: { name: string; input: unknown }): ToolCallVerdict;
  /** Each model call, tool call or command, for the run's trace (absent: nothing is kept). */
  trace?(event: TraceEvent): void;
  /** Most this run may spend, in USD; the agent stops itself once it is reached. */
  budgetUsd?: number;
}

export interface AgentResult {
  /** "stopped": cancelled, out of budget or stuck; "failed": the agent could not do the task. */
  outcome: "completed" | "failed" | "stopped";
  summary: string;
  error?: string;
  toolCalls: number;
}

/**
 * What every agent implements. The agent only changes files in the worktree; the orchestrator
 * commits (and verifies) afterwards.
 */
export interface AgentBackend {
  readonly kind: "OFFLINE" | "CLI" | "CLAUDE";
  run(ctx: AgentRunContext): Promise<AgentResult>;
}

export type AgentBackendKind = AgentBackend["kind"];
