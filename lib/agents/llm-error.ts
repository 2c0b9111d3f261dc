import type { ZodError } from "zod";
import { AppError } from "@/lib/api/app-error";

/**
 * RETRYABLE_EXHAUSTED: the API stayed unavailable (429, 529, 5xx, timeouts, network) through
 * every try; a fallback model may still work. PERMANENT: retrying cannot help (bad key, bad
 * request, unknown model). INVALID_OUTPUT: the model kept answering outside the schema.
 */
export type LlmErrorKind = "RETRYABLE_EXHAUSTED" | "PERMANENT" | "INVALID_OUTPUT";

export interface LlmErrorInit {
  kind: LlmErrorKind;
  /** A sentence a user understands; also the AppError message shown at the edges. */
  userMessage: string;
  /** HTTP status of the last failed API response, when there was one. */
  status?: number;
  /** The model the failing call asked for. */
  model?: string;
  /** Tokens consumed before the failure (e.g. answers that failed the schema), for usage records. */
  inputTokens?: number;
  outputTokens?: number;
  /** HTTP requests (including retries) or re-asks spent, for logs. */
  tries?: number;
  /** Anthropic's request-id of the last failed response, for support tickets. */
  requestId?: string;
  cause?: unknown;
}

/**
 * Why a model call failed, in terms the pipeline (fallback, retry) and a user can act on.
 * Not an AppError: AppError.status is the status of *our* response, while `status` here is
 * Anthropic's. Edges that surface it call `toAppError()`.
 */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly userMessage: string;
  readonly status?: number;
  readonly model?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly tries?: number;
  readonly requestId?: string;

  constructor(init: LlmErrorInit) {
    super(init.userMessage, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = "LlmError";
    this.kind = init.kind;
    this.userMessage = init.userMessage;
    this.status = init.status;
    this.model = init.model;
    this.inputTokens = init.inputTokens ?? 0;
    this.outputTokens = init.outputTokens ?? 0;
    this.tries = init.tries;
    this.requestId = init.requestId;
  }

  /**
   * 503 whatever the kind: the AI service could not produce the result, and the user message
   * says why and what to do.
   */
  toAppError(): AppError {
    return new AppError("UNAVAILABLE", this.userMessage, {
      llmKind: this.kind,
      ...(this.status !== undefined ? { upstreamStatus: this.status } : {}),
    });
  }

  /** The same error with the tokens consumed so far attached (errors arise deep in a retry loop). */
  withUsage(usage: { model: string; inputTokens: number; outputTokens: number }): LlmError {
    return new LlmError({
      kind: this.kind,
      userMessage: this.userMessage,
      status: this.status,
      model: usage.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      tries: this.tries,
      requestId: this.requestId,
      cause: this.cause,
    });
  }
}

export function isLlmError(value: unknown): value is LlmError {
  return value instanceof LlmError;
}

/** Zod issues as "path: message" lines, the form both the model and a user can act on. */
export function formatIssues(error: ZodError, limit = 20): string[] {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join(".") : "(root)";
    return `${path}: ${issue.message}`;
  });
  return lines.length > limit
    ? [...lines.slice(0, limit), `… and ${lines.length - limit} more`]
    : lines;
}
