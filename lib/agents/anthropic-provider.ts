import "server-only";
import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "@anthropic-ai/sdk";
import type {
  ContentBlock,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import { formatIssues, LlmError } from "@/lib/agents/llm-error";
import type { LlmProvider, StructuredRequest, StructuredResult } from "@/lib/agents/llm-provider";
import { defaultModelRouting, supportsForcedToolChoice } from "@/lib/agents/models";
import {
  defaultRetryPolicy,
  parseRetryAfterMs,
  type RetryPolicy,
  retryDelayMs,
} from "@/lib/agents/retry";
import { childLogger } from "@/lib/logger";

// LlmError lives in its own module so the offline path does not load the SDK; callers that talk
// about Anthropic failures import it from here.
export { LlmError } from "@/lib/agents/llm-error";

const log = childLogger({ module: "agents/anthropic" });

const DEFAULT_MAX_TOKENS = 16_000;
// Explicit, so the SDK never refuses a large max_tokens for "needing streaming" (it only checks
// when no timeout is given) and so a hung connection fails into our retry loop.
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

export interface AnthropicProviderOptions {
  apiKey: string;
  /** Defaults to https://api.anthropic.com; tests point it at a local fake server. */
  baseURL?: string;
  /** Re-asks after an answer fails the schema (so 2 means at most 3 answers). */
  maxReasks?: number;
  retry?: Partial<RetryPolicy>;
  /** Injected so tests can observe backoff without waiting for it. */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) source for the jitter; injected for deterministic tests. */
  random?: () => number;
  timeoutMs?: number;
  maxTokens?: number;
}

/** What went wrong with one HTTP try, and whether another try may help. */
export interface FailureClass {
  retryable: boolean;
  reason:
    | "rate_limited"
    | "overloaded"
    | "server_error"
    | "timeout"
    | "network"
    | "authentication"
    | "permission"
    | "not_found"
    | "bad_request"
    | "client_error"
    | "aborted"
    | "unknown";
  status?: number;
  retryAfterMs?: number;
  requestId?: string;
  /** The API's own explanation (error.message in the body), or the exception's message. */
  detail: string;
}

/** Sorts an exception from the SDK (with its own retries off) into retryable and permanent. */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof APIUserAbortError) {
    return { retryable: false, reason: "aborted", detail: error.message };
  }
  // Timeout before connection errors: it is a subclass of APIConnectionError.
  if (error instanceof APIConnectionTimeoutError) {
    return { retryable: true, reason: "timeout", detail: error.message };
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { retryable: true, reason: "network", detail: `${error.message}${cause}` };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const base = {
      status,
      requestId: error.requestID ?? undefined,
      detail: error.apiMessage ?? error.message,
    };
    if (status === 429) {
      return {
        ...base,
        retryable: true,
        reason: "rate_limited",
        retryAfterMs: parseRetryAfterMs(error.headers),
      };
    }
    if (status === 529) {
      return {
        ...base,
        retryable: true,
        reason: "overloaded",
        retryAfterMs: parseRetryAfterMs(error.headers),
      };
    }
    if (status === 408 || status === 504) {
      return { ...base, retryable: true, reason: "timeout" };
    }
    if (status >= 500) {
      return {
        ...base,
        retryable: true,
        reason: "server_error",
        retryAfterMs: parseRetryAfterMs(error.headers),
      };
    }
    if (status === 401) return { ...base, retryable: false, reason: "authentication" };
    if (status === 403) return { ...base, retryable: false, reason: "permission" };
    if (status === 404) return { ...base, retryable: false, reason: "not_found" };
    if (status === 400) return { ...base, retryable: false, reason: "bad_request" };
    return { ...base, retryable: false, reason: "client_error" };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { retryable: false, reason: "unknown", detail };
}

/** The sentence a user sees for a failure after `tries` HTTP tries. */
export function failureMessage(
  failure: FailureClass,
  context: { tries: number; model: string; baseURL: string },
): string {
  const { tries, model } = context;
  const status = failure.status !== undefined ? ` (${failure.status})` : "";
  const afterTries = `after ${tries} ${tries === 1 ? "try" : "tries"}`;
  switch (failure.reason) {
    case "authentication":
      return `The Anthropic API rejected the API key${status}. Check ANTHROPIC_API_KEY in the server's environment.`;
    case "permission":
      return `The Anthropic API key is not allowed to do this${status}: ${failure.detail}. Check the key's workspace and its access to ${model}.`;
    case "not_found":
      return `The Anthropic API does not know the model "${model}"${status}. Check the model ids in the organization's settings.`;
    case "bad_request":
      return `The Anthropic API rejected the request${status}: ${failure.detail}`;
    case "client_error":
      return `The Anthropic API refused the request${status}: ${failure.detail}`;
    case "rate_limited":
      return `Anthropic's rate limit was hit${status} and did not clear ${afterTries}. Wait a minute and try again, or raise the API key's rate limits.`;
    case "overloaded":
      return `Anthropic is overloaded${status} and did not recover ${afterTries}.`;
    case "server_error":
      return `The Anthropic API failed with a server error${status} ${afterTries}.`;
    case "timeout":
      return `The Anthropic API did not answer in time${status} ${afterTries}.`;
    case "network":
      return `Could not reach the Anthropic API at ${context.baseURL} ${afterTries} (${failure.detail}).`;
    case "aborted":
      return "The call to the Anthropic API was cancelled.";
    case "unknown":
      return `Calling the Anthropic API failed: ${failure.detail}`;
  }
}

/** The tool's input_schema: the zod schema as JSON Schema, as the model must produce it. */
export function toolInputSchema(schema: z.ZodType): Tool.InputSchema {
  // io "input": the model writes what the schema parses (defaults may be omitted).
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  });
  if (json.type !== "object") {
    throw new Error(
      "A structured request's schema must be a zod object: Anthropic tool inputs are JSON objects.",
    );
  }
  return { ...json, type: "object" };
}

/** Structured output from Claude through the Messages API: one tool, its input validated by zod. */
export class AnthropicProvider implements LlmProvider {
  readonly name = "anthropic" as const;
  private readonly client: Anthropic;
  private readonly baseURL: string;
  private readonly policy: RetryPolicy;
  private readonly maxReasks: number;
  private readonly maxTokens: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: AnthropicProviderOptions) {
    this.baseURL = options.baseURL ?? "https://api.anthropic.com";
    this.client = new Anthropic({
      apiKey: options.apiKey,
      // Explicit, so the SDK does not read ANTHROPIC_BASE_URL itself: lib/env.ts is the only reader.
      baseURL: this.baseURL,
      // Retries are ours: one policy, observable, and aware of fallbacks and re-asks.
      maxRetries: 0,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      logLevel: "off",
    });
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.maxReasks = options.maxReasks ?? 2;
    this.maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const model = request.model ?? defaultModelRouting[request.role].model;
    const forced = supportsForcedToolChoice(model);
    const toolName = request.toolName;
    const tool: Tool = {
      name: toolName,
      description: request.toolDescription,
      input_schema: toolInputSchema(request.schema),
    };
    // Models that reject a forced tool choice get `auto`, one tool, no parallel calls, and an
    // instruction; an answer without the call is re-asked like a schema failure.
    const toolChoice: ToolChoice = forced
      ? { type: "tool", name: toolName }
      : { type: "auto", disable_parallel_tool_use: true };
    const system = forced
      ? request.system
      : `${request.system}\n\nAnswer only by calling the \`${toolName}\` tool exactly once; its input is your whole answer.`;
    const messages: MessageParam[] = [{ role: "user", content: request.prompt }];
    const usage = { model, inputTokens: 0, outputTokens: 0 };
    let lastIssues: string[] = [];
    const maxAnswers = this.maxReasks + 1;

    for (let answer = 1; answer <= maxAnswers; answer++) {
      let response: Message;
      try {
        response = await this.send({
          model,
          max_tokens: request.maxTokens ?? this.maxTokens,
          system,
          messages,
          tools: [tool],
          tool_choice: toolChoice,
        });
      } catch (error) {
        throw error instanceof LlmError ? error.withUsage(usage) : error;
      }
      usage.inputTokens += inputTokensOf(response);
      usage.outputTokens += response.usage.output_tokens;

      if (response.stop_reason === "refusal") {
        throw new LlmError({
          kind: "PERMANENT",
          userMessage: `The model (${model}) declined to produce the ${request.purpose}. Rephrase the input and try again.`,
          model,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          tries: answer,
        });
      }

      const calls = response.content.filter(
        (block): block is Extract<ContentBlock, { type: "tool_use" }> => block.type === "tool_use",
      );
      const call = calls.find((block) => block.name === toolName);
      if (call) {
        const parsed = request.schema.safeParse(call.input);
        if (parsed.success) {
          return {
            value: parsed.data,
            model,
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            attempts: answer,
          };
        }
        lastIssues = formatIssues(parsed.error);
      } else {
        lastIssues = [
          response.stop_reason === "max_tokens"
            ? `the answer was cut off at max_tokens before the \`${toolName}\` tool call`
            : `the answer did not call the \`${toolName}\` tool`,
        ];
      }
      log.warn(
        { model, purpose: request.purpose, answer, issues: lastIssues.slice(0, 5) },
        "model answer failed the schema",
      );
      if (answer === maxAnswers) break;

      // Continue the conversation: the model sees its own answer and exactly what was wrong.
      if (response.content.length > 0) {
        messages.push({ role: "assistant", content: response.content });
      }
      messages.push({ role: "user", content: reaskContent(toolName, call, calls, lastIssues) });
    }

    const shown = lastIssues.slice(0, 3).join("; ");
    throw new LlmError({
      kind: "INVALID_OUTPUT",
      userMessage: `The model's answer did not match the expected structure after ${maxAnswers} tries: ${shown}`,
      model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      tries: maxAnswers,
    });
  }

  /** One Messages API call with our retry policy around it. */
  private send(body: MessageCreateParamsNonStreaming): Promise<Message> {
    return createMessageWithRetries(this.client, body, {
      policy: this.policy,
      baseURL: this.baseURL,
      random: this.random,
      sleep: this.sleep,
    });
  }
}

/** Every prompt token billed: uncached input plus cache writes and reads (we set no cache, so normally 0). */
function inputTokensOf(response: Message): number {
  const u = response.usage;
  return u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
}

/** The user turn that asks for a corrected answer. Every tool_use needs its tool_result. */
function reaskContent(
  toolName: string,
  call: Extract<ContentBlock, { type: "tool_use" }> | undefined,
  calls: Extract<ContentBlock, { type: "tool_use" }>[],
  issues: string[],
): MessageParam["content"] {
  const fix = `Call the \`${toolName}\` tool again with the whole corrected input.`;
  if (!call) {
    const results: ToolResultBlockParam[] = calls.map((other) => ({
      type: "tool_result",
      tool_use_id: other.id,
      is_error: true,
      content: `Unknown tool \`${other.name}\`; only \`${toolName}\` is available.`,
    }));
    return [
      ...results,
      { type: "text", text: `Your answer was not accepted: ${issues.join("; ")}. ${fix}` },
    ];
  }
  return calls.map(
    (block): ToolResultBlockParam => ({
      type: "tool_result",
      tool_use_id: block.id,
      is_error: true,
      content:
        block.id === call.id
          ? `The input does not match the schema:\n${issues.map((line) => `- ${line}`).join("\n")}\n${fix}`
          : "Ignored: call the tool once with the whole answer.",
    }),
  );
}

/**
 * One Messages API call with our retry policy around it: retryable failures
 * (429, 529, 5xx, network, timeouts) back off with jitter, honouring
 * retry-after; anything else, or running out of tries, is an LlmError with a
 * message a user can act on. Shared by structured output and the Claude agent.
 */
export async function createMessageWithRetries(
  client: Anthropic,
  body: MessageCreateParamsNonStreaming,
  options: {
    policy: RetryPolicy;
    baseURL: string;
    random?: () => number;
    sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
    signal?: AbortSignal;
  },
): Promise<Message> {
  const { policy, signal } = options;
  for (let tryNo = 1; ; tryNo++) {
    try {
      return await client.messages.create(body, signal ? { signal } : undefined);
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.retryable && tryNo < policy.maxTries && !signal?.aborted) {
        const delay = retryDelayMs(tryNo - 1, failure.retryAfterMs, policy, options.random);
        log.warn(
          {
            model: body.model,
            try: tryNo,
            status: failure.status,
            reason: failure.reason,
            requestId: failure.requestId,
            delayMs: delay,
          },
          "Anthropic API call failed; retrying",
        );
        await options.sleep(delay, signal);
        continue;
      }
      throw new LlmError({
        kind: failure.retryable ? "RETRYABLE_EXHAUSTED" : "PERMANENT",
        userMessage: failureMessage(failure, {
          tries: tryNo,
          model: body.model,
          baseURL: options.baseURL,
        }),
        status: failure.status,
        model: body.model,
        tries: tryNo,
        requestId: failure.requestId,
        cause: error,
      });
    }
  }
}
