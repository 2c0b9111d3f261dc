import "server-only";
import { getLlmProvider } from "@/lib/agents/get-llm-provider";
import { isLlmError, type LlmError } from "@/lib/agents/llm-error";
import type { LlmProvider, StructuredRequest, StructuredResult } from "@/lib/agents/llm-provider";
import { costUsd, resolveModel } from "@/lib/agents/models";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { childLogger } from "@/lib/logger";

const log = childLogger({ module: "agents/call-model" });

export interface CallModelOptions<T> {
  orgId: string;
  specId?: string;
  taskId?: string;
  runId?: string;
  /** Defaults to getLlmProvider(): Claude with a key, else the offline provider. */
  provider?: LlmProvider;
  /** `request.model` is set here from the organization's routing for `request.role`. */
  request: StructuredRequest<T>;
}

export type CallModelResult<T> = StructuredResult<T> & { costUsd: number };

interface Usage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
}

/**
 * Runs one structured model call for an organization: routes the role to a model (org
 * overrides first), falls back once when the primary stays unavailable, and records a
 * UsageRecord for every attempt that consumed tokens (failed ones included).
 */
export async function callModel<T>(
  db: Db,
  options: CallModelOptions<T>,
): Promise<CallModelResult<T>> {
  const { orgId, request } = options;
  const org = await db.organization.findUnique({
    where: { id: orgId },
    select: { settings: true },
  });
  if (!org) throw notFound("Organization");
  const route = resolveModel(request.role, org.settings);
  const provider = options.provider ?? (await getLlmProvider());

  const record = async (usage: Usage): Promise<number> => {
    const cost = costUsd(usage.model, usage.inputTokens, usage.outputTokens);
    await db.usageRecord.create({
      data: {
        orgId,
        specId: options.specId ?? null,
        taskId: options.taskId ?? null,
        runId: options.runId ?? null,
        role: request.role,
        model: usage.model,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        // A string keeps the micro-dollars exact in the Decimal(12, 6) column.
        costUsd: cost.toFixed(6),
        durationMs: usage.durationMs,
      },
    });
    return cost;
  };

  const attempt = async (model: string): Promise<CallModelResult<T>> => {
    const started = performance.now();
    try {
      const result = await provider.generateStructured({ ...request, model });
      const cost = await record({
        model: result.model,
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
        durationMs: Math.round(performance.now() - started),
      });
      return { ...result, costUsd: cost };
    } catch (error) {
      if (isLlmError(error) && error.inputTokens + error.outputTokens > 0) {
        // Tokens spent on answers that were then rejected are billed all the same.
        await record({
          model: error.model ?? model,
          inputTokens: error.inputTokens,
          outputTokens: error.outputTokens,
          durationMs: Math.round(performance.now() - started),
        });
      }
      throw error;
    }
  };

  try {
    return await attempt(route.model);
  } catch (error) {
    if (!canFallBack(error) || !route.fallback || route.fallback === route.model) throw error;
    log.warn(
      {
        orgId,
        role: request.role,
        model: route.model,
        fallback: route.fallback,
        reason: error.userMessage,
      },
      "primary model unavailable; trying the fallback model once",
    );
    return await attempt(route.fallback);
  }
}

function canFallBack(error: unknown): error is LlmError {
  return isLlmError(error) && error.kind === "RETRYABLE_EXHAUSTED";
}
