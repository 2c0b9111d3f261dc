import type { z } from "zod";

/** What a model call is for; routing picks a model per role (with per-org defaults and a fallback). */
export type ModelRole = "planner" | "designer" | "task-writer" | "coder" | "reviewer";

/** A request for structured output: the model answers by calling one tool whose input must pass `schema`. */
export interface StructuredRequest<T> {
  role: ModelRole;
  /**
   * What is being produced ("requirements", "design", "tasks", ...). The offline
   * provider uses it to pick its deterministic author; real models ignore it.
   */
  purpose: string;
  system: string;
  prompt: string;
  toolName: string;
  toolDescription: string;
  schema: z.ZodType<T>;
  /** Structured inputs behind the prompt (ticket, previous version, feedback), for the offline provider. */
  context: Record<string, unknown>;
  /** Model chosen by routing; a provider may ignore it (offline). */
  model?: string;
  maxTokens?: number;
}

export interface StructuredResult<T> {
  value: T;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Tries it took, counting re-asks after a schema failure. */
  attempts: number;
}

/** One way to get structured output: the Anthropic Messages API, or the labelled offline provider. */
export interface LlmProvider {
  readonly name: "anthropic" | "offline";
  generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>>;
}
