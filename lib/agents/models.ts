import "server-only";
import { z } from "zod";
import type { ModelRole } from "@/lib/agents/llm-provider";
import { childLogger } from "@/lib/logger";

const log = childLogger({ module: "agents/models" });

/** The model id the offline provider reports; priced at zero so cost views still add up. */
export const OFFLINE_MODEL = "offline";

export interface ModelPrice {
  /** USD per million input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens. */
  outputPerMTok: number;
  /** Requests whose prompt exceeds `aboveInputTokens` bill every token at these rates instead. */
  longContext?: { aboveInputTokens: number; inputPerMTok: number; outputPerMTok: number };
  /**
   * Whether the API accepts `tool_choice: { type: "tool" }` for this model. Opus 5.5, Sonnet 5.5
   * and Fable 5.1 answer a forced tool choice with a 400, so for them we offer the one tool with
   * `tool_choice: auto` and re-ask when the model answers without calling it.
   */
  forcedToolChoice: boolean;
  /** End-of-life date when the SDK marks the model deprecated; never used as a default. */
  deprecated?: string;
}

/**
 * The one price table, in USD per million tokens (standard rate; no batch or cache discounts).
 * Source: platform.claude.com/docs model pages ("Models & pricing", per-model overview and
 * "What's new in Claude Opus 5.5"), read 2026-11-22. Ids are those @anthropic-ai/sdk 1.12 lists
 * in its `Model` type. Models the SDK lists but whose price we could not verify (Fable 5/5.2,
 * Mythos) are left out on purpose: an unknown model costs 0 with a warning rather than a guess.
 */
export const modelPrices: Readonly<Record<string, ModelPrice>> = {
  "claude-opus-5-5": { inputPerMTok: 4, outputPerMTok: 20, forcedToolChoice: false },
  "claude-sonnet-5-5": { inputPerMTok: 2, outputPerMTok: 10, forcedToolChoice: false },
  "claude-haiku-5-5": {
    inputPerMTok: 0.1,
    outputPerMTok: 0.5,
    // Haiku 5.5 bills prompts over 100K tokens at 5x ($0.50 / $2.50).
    longContext: { aboveInputTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5 },
    // Not documented either way; `auto` plus a re-ask works on every model.
    forcedToolChoice: false,
  },
  "claude-fable-5-1": { inputPerMTok: 10, outputPerMTok: 50, forcedToolChoice: false },
  "claude-opus-5": { inputPerMTok: 5, outputPerMTok: 25, forcedToolChoice: true },
  "claude-sonnet-5": { inputPerMTok: 2, outputPerMTok: 10, forcedToolChoice: true },
  "claude-opus-4-8": { inputPerMTok: 5, outputPerMTok: 25, forcedToolChoice: true },
  "claude-opus-4-7": { inputPerMTok: 5, outputPerMTok: 25, forcedToolChoice: true },
  "claude-opus-4-6": { inputPerMTok: 5, outputPerMTok: 25, forcedToolChoice: true },
  "claude-opus-4-5": { inputPerMTok: 5, outputPerMTok: 25, forcedToolChoice: true },
  "claude-opus-4-5-20251101": { inputPerMTok: 5, outputPerMTok: 25, forcedToolChoice: true },
  "claude-sonnet-4-6": { inputPerMTok: 3, outputPerMTok: 15, forcedToolChoice: true },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5, forcedToolChoice: true },
  "claude-haiku-4-5-20251001": { inputPerMTok: 1, outputPerMTok: 5, forcedToolChoice: true },
  // Kept so past usage and explicit overrides are costed correctly; never a default.
  "claude-sonnet-4-5": {
    inputPerMTok: 3,
    outputPerMTok: 15,
    forcedToolChoice: true,
    deprecated: "2026-11-30",
  },
  "claude-sonnet-4-5-20250929": {
    inputPerMTok: 3,
    outputPerMTok: 15,
    forcedToolChoice: true,
    deprecated: "2026-11-30",
  },
  [OFFLINE_MODEL]: { inputPerMTok: 0, outputPerMTok: 0, forcedToolChoice: true },
};

export interface ModelChoice {
  model: string;
  /** Tried once when the primary model stays unavailable (429/529/5xx) after our retries. */
  fallback?: string;
}

/**
 * What an organization can route: one entry per role, plus "coder-light", the coder's choice for
 * small tasks (estimated at SMALL_TASK_MINUTES or less), the one place difficulty picks a model.
 */
export const modelRoles = [
  "planner",
  "designer",
  "task-writer",
  "coder",
  "reviewer",
] as const satisfies readonly ModelRole[];
export const routingKeys = [...modelRoles, "coder-light"] as const;
export type RoutingKey = (typeof routingKeys)[number];

/** A coding task estimated at this many minutes or less counts as small ("coder-light"). */
export const SMALL_TASK_MINUTES = 15;

/**
 * Default routing. Planning, design and coding get the strongest current model; writing tasks,
 * reviewing and small coding tasks get the mid tier. A fallback is a different model line,
 * because an overload usually affects one model rather than the whole API. Mid-tier entries fall
 * back upwards so a fallback never lowers quality (it costs more, but only while the primary is
 * unavailable).
 */
export const defaultModelRouting: Readonly<Record<RoutingKey, Required<ModelChoice>>> = {
  planner: { model: "claude-opus-5-5", fallback: "claude-sonnet-5-5" },
  designer: { model: "claude-opus-5-5", fallback: "claude-sonnet-5-5" },
  coder: { model: "claude-opus-5-5", fallback: "claude-sonnet-5-5" },
  "coder-light": { model: "claude-sonnet-5-5", fallback: "claude-opus-5-5" },
  "task-writer": { model: "claude-sonnet-5-5", fallback: "claude-opus-5-5" },
  reviewer: { model: "claude-sonnet-5-5", fallback: "claude-opus-5-5" },
};

export const modelIdSchema = z
  .string()
  .trim()
  .min(1, "Enter a model id")
  .max(100, "A model id is at most 100 characters")
  .regex(/^[a-z0-9][a-z0-9._:@/-]*$/i, "Use a model id such as claude-sonnet-5-5");

export const modelChoiceSchema = z.object({
  model: modelIdSchema,
  fallback: modelIdSchema.optional(),
});

/**
 * The `models` part of Organization.settings: per-entry overrides of the default routing.
 * Other keys of the settings object belong to other areas and are ignored here.
 */
export const modelSettingsSchema = z.object({
  models: z
    .object({
      planner: modelChoiceSchema.optional(),
      designer: modelChoiceSchema.optional(),
      "task-writer": modelChoiceSchema.optional(),
      coder: modelChoiceSchema.optional(),
      "coder-light": modelChoiceSchema.optional(),
      reviewer: modelChoiceSchema.optional(),
    })
    .optional(),
});

export type ModelSettings = z.infer<typeof modelSettingsSchema>;
export type ModelOverrides = NonNullable<ModelSettings["models"]>;

/**
 * The organization's overrides. Settings that fail the schema are ignored with a warning: a typo
 * in one setting must not stop every model call of the organization.
 */
export function parseModelOverrides(orgSettings: unknown): ModelOverrides {
  const parsed = modelSettingsSchema.safeParse(orgSettings ?? {});
  if (!parsed.success) {
    log.warn(
      { issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) },
      "organization model settings are invalid; using the default models",
    );
    return {};
  }
  return parsed.data.models ?? {};
}

export interface EffectiveChoice extends ModelChoice {
  /** "organization": set for this entry; "coder": small tasks follow the coding override; else the default. */
  source: "default" | "organization" | "coder";
}

function applyOverride(override: ModelChoice, defaults: Required<ModelChoice>): ModelChoice {
  // An override without a fallback keeps the default fallback; one equal to the model means none.
  const fallback = override.fallback ?? defaults.fallback;
  return fallback === override.model
    ? { model: override.model }
    : { model: override.model, fallback };
}

/**
 * Every routing entry as it applies to the organization. Small coding tasks without their own
 * override follow an organization's coding override (someone chose that model for coding).
 */
export function effectiveModelRouting(orgSettings: unknown): Record<RoutingKey, EffectiveChoice> {
  const overrides = parseModelOverrides(orgSettings);
  const entry = (key: RoutingKey): EffectiveChoice => {
    const own = overrides[key];
    if (own) return { ...applyOverride(own, defaultModelRouting[key]), source: "organization" };
    if (key === "coder-light" && overrides.coder) {
      return { ...applyOverride(overrides.coder, defaultModelRouting.coder), source: "coder" };
    }
    return { ...defaultModelRouting[key], source: "default" };
  };
  return Object.fromEntries(routingKeys.map((key) => [key, entry(key)])) as Record<
    RoutingKey,
    EffectiveChoice
  >;
}

/** The routing entry for a call: the coder's light entry for a small task, else the role's. */
export function routingKeyFor(role: ModelRole, estimateMinutes?: number | null): RoutingKey {
  return role === "coder" && estimateMinutes != null && estimateMinutes <= SMALL_TASK_MINUTES
    ? "coder-light"
    : role;
}

/**
 * The model (and fallback) for a role, honouring the organization's overrides; for the coder,
 * `estimateMinutes` of the task picks the light entry when the task is small.
 */
export function resolveModel(
  role: ModelRole,
  orgSettings: unknown,
  options: { estimateMinutes?: number | null } = {},
): ModelChoice {
  const { model, fallback } =
    effectiveModelRouting(orgSettings)[routingKeyFor(role, options.estimateMinutes)];
  return fallback ? { model, fallback } : { model };
}

/**
 * The coding model (and fallback) an agent works on a task with: the organization's routing,
 * the light entry for a small task. The built-in runner and self-hosted runners (through their
 * assignment) both take it from here.
 */
export function taskModel(
  orgSettings: unknown,
  task: { estimateMinutes: number | null },
): ModelChoice {
  return resolveModel("coder", orgSettings, { estimateMinutes: task.estimateMinutes });
}

/** Known model ids for pickers: current ones first, deprecated ones last; never the offline id. */
export function knownModels(): { id: string; deprecated?: string }[] {
  return Object.entries(modelPrices)
    .filter(([id]) => id !== OFFLINE_MODEL)
    .map(([id, price]) => (price.deprecated ? { id, deprecated: price.deprecated } : { id }))
    .sort((a, b) => Number(Boolean(a.deprecated)) - Number(Boolean(b.deprecated)));
}

/** Price-table entry for a model, or undefined when we do not know it. */
export function findModelPrice(model: string): ModelPrice | undefined {
  return Object.hasOwn(modelPrices, model) ? modelPrices[model] : undefined;
}

/**
 * Whether to force the tool with `tool_choice: { type: "tool" }`. Unknown ids (a newer model set
 * as an org override) get `auto`, which every model accepts; the re-ask covers a missing call.
 */
export function supportsForcedToolChoice(model: string): boolean {
  return findModelPrice(model)?.forcedToolChoice ?? false;
}

const warnedUnknown = new Set<string>();

/** USD cost of a call, rounded to the micro-dollar the UsageRecord column stores. */
export function costUsd(model: string, inputTokens: number, outputTokens: number): number {
  const price = findModelPrice(model);
  if (!price) {
    // Once per model and process: the log should say it, not drown in it.
    if (!warnedUnknown.has(model)) {
      warnedUnknown.add(model);
      log.warn({ model }, "no price for this model; its usage is recorded at cost 0");
    }
    return 0;
  }
  const rates =
    price.longContext && inputTokens > price.longContext.aboveInputTokens
      ? price.longContext
      : price;
  const usd = (inputTokens * rates.inputPerMTok + outputTokens * rates.outputPerMTok) / 1_000_000;
  return Math.round(usd * 1_000_000) / 1_000_000;
}
