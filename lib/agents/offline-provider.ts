import { formatIssues, LlmError } from "@/lib/agents/llm-error";
import type { LlmProvider, StructuredRequest, StructuredResult } from "@/lib/agents/llm-provider";
import { OFFLINE_MODEL } from "@/lib/agents/models";

/** Writes a deterministic answer for one purpose from the request's structured context. */
export type OfflineAuthor = (context: Record<string, unknown>) => unknown;

/** Rough tokens for a text: ~4 characters per token, so cost views have plausible numbers. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    // Cycles or BigInts: the estimate is only for display, so count nothing rather than fail.
    return "";
  }
}

/**
 * The labelled offline provider (model "offline"): no network, no key, the same answer for the
 * same input. It serves tests and the no-key demo. Its answers are validated with the request's
 * schema like a model's, so a broken author fails loudly instead of feeding bad data downstream.
 */
export class OfflineProvider implements LlmProvider {
  readonly name = "offline" as const;
  private readonly authors: Readonly<Record<string, OfflineAuthor>>;

  constructor(authors: Readonly<Record<string, OfflineAuthor>>) {
    this.authors = authors;
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const { purpose } = request;
    const author = Object.hasOwn(this.authors, purpose) ? this.authors[purpose] : undefined;
    if (!author) {
      const known = Object.keys(this.authors).sort().join(", ") || "none";
      throw new LlmError({
        kind: "PERMANENT",
        userMessage: `The offline provider cannot write "${purpose}" (it writes: ${known}). Set ANTHROPIC_API_KEY to use Claude.`,
        model: OFFLINE_MODEL,
      });
    }

    let output: unknown;
    try {
      // Authors may be async; awaiting a plain value is harmless.
      output = await author(request.context);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LlmError({
        kind: "PERMANENT",
        userMessage: `The offline author for "${purpose}" failed: ${reason}`,
        model: OFFLINE_MODEL,
        cause: error,
      });
    }

    const parsed = request.schema.safeParse(output);
    if (!parsed.success) {
      throw new LlmError({
        kind: "INVALID_OUTPUT",
        userMessage: `The offline author for "${purpose}" wrote an answer that does not match the expected structure: ${formatIssues(parsed.error).slice(0, 3).join("; ")}`,
        model: OFFLINE_MODEL,
      });
    }

    return {
      value: parsed.data,
      model: OFFLINE_MODEL,
      inputTokens: estimateTokens(request.system + request.prompt + textOf(request.context)),
      outputTokens: estimateTokens(textOf(output)),
      attempts: 1,
    };
  }
}
