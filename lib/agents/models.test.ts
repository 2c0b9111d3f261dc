import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  costUsd,
  defaultModelRouting,
  modelPrices,
  modelSettingsSchema,
  resolveModel,
  routingKeys,
  supportsForcedToolChoice,
} from "@/lib/agents/models";

const warn = vi.hoisted(() => vi.fn());
vi.mock("@/lib/logger", () => ({
  childLogger: () => ({ warn, info: vi.fn(), debug: vi.fn(), error: vi.fn() }),
}));

// The SDK's own list of deprecated models (not in its package exports, so loaded by path).
const sdkDeprecated = createRequire(import.meta.url)(
  path.join(process.cwd(), "node_modules/@anthropic-ai/sdk/internal/data/deprecated-models.js"),
) as { DEPRECATED_MODELS: Record<string, string> };

describe("default model routing", () => {
  it("routes strong roles to Opus and mid roles to Sonnet", () => {
    expect(resolveModel("planner", {})).toEqual({
      model: "claude-opus-5-5",
      fallback: "claude-sonnet-5-5",
    });
    expect(resolveModel("designer", {}).model).toBe("claude-opus-5-5");
    expect(resolveModel("coder", {}).model).toBe("claude-opus-5-5");
    expect(resolveModel("task-writer", {}).model).toBe("claude-sonnet-5-5");
    expect(resolveModel("reviewer", {}).model).toBe("claude-sonnet-5-5");
  });

  it("uses only priced models that the installed SDK does not mark deprecated", () => {
    const used = routingKeys.flatMap((role) => [
      defaultModelRouting[role].model,
      defaultModelRouting[role].fallback,
    ]);
    expect(Object.keys(sdkDeprecated.DEPRECATED_MODELS)).toContain("claude-sonnet-4-5");
    for (const model of used) {
      expect(sdkDeprecated.DEPRECATED_MODELS[model], model).toBeUndefined();
      expect(modelPrices[model], model).toBeDefined();
      expect(modelPrices[model]?.deprecated, model).toBeUndefined();
    }
    for (const role of routingKeys) {
      expect(defaultModelRouting[role].fallback).not.toBe(defaultModelRouting[role].model);
    }
  });
});

describe("resolveModel with organization overrides", () => {
  it("takes the organization's model and fallback for a role, leaving other roles alone", () => {
    const settings = {
      budgets: { monthlyUsd: 50 },
      models: { reviewer: { model: "claude-opus-4-8", fallback: "claude-sonnet-4-6" } },
    };
    expect(resolveModel("reviewer", settings)).toEqual({
      model: "claude-opus-4-8",
      fallback: "claude-sonnet-4-6",
    });
    expect(resolveModel("planner", settings)).toEqual(defaultModelRouting.planner);
  });

  it("keeps the default fallback when the override names none", () => {
    expect(resolveModel("coder", { models: { coder: { model: "claude-opus-5" } } })).toEqual({
      model: "claude-opus-5",
      fallback: "claude-sonnet-5-5",
    });
  });

  it("drops a fallback that is the model itself", () => {
    expect(
      resolveModel("task-writer", { models: { "task-writer": { model: "claude-opus-5-5" } } }),
    ).toEqual({ model: "claude-opus-5-5" });
  });

  it("ignores invalid settings with a warning instead of failing every call", () => {
    warn.mockClear();
    expect(resolveModel("planner", { models: { planner: { model: "" } } })).toEqual(
      defaultModelRouting.planner,
    );
    expect(resolveModel("planner", null)).toEqual(defaultModelRouting.planner);
    expect(resolveModel("planner", "not an object")).toEqual(defaultModelRouting.planner);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("validates the settings shape with modelSettingsSchema", () => {
    expect(
      modelSettingsSchema.safeParse({ models: { coder: { model: "claude-opus-5-5" } } }).success,
    ).toBe(true);
    expect(
      modelSettingsSchema.safeParse({ models: { coder: { model: "has spaces" } } }).success,
    ).toBe(false);
    expect(modelSettingsSchema.safeParse({ models: { coder: {} } }).success).toBe(false);
  });
});

describe("costUsd", () => {
  it("prices input and output tokens per million", () => {
    expect(costUsd("claude-opus-5-5", 1_000_000, 0)).toBe(4);
    expect(costUsd("claude-opus-5-5", 0, 1_000_000)).toBe(20);
    expect(costUsd("claude-sonnet-5-5", 12_345, 6_789)).toBe(0.09258);
    expect(costUsd("claude-haiku-4-5", 2_000, 1_000)).toBe(0.007);
  });

  it("rounds to the micro-dollar the usage column stores", () => {
    // 1 Sonnet 5.5 input token is $0.000002; 1 Haiku 5.5 input token is $0.0000001.
    expect(costUsd("claude-sonnet-5-5", 1, 0)).toBe(0.000002);
    expect(costUsd("claude-haiku-5-5", 3, 0)).toBe(0);
  });

  it("bills Haiku 5.5 prompts over 100K tokens at the long-context rate", () => {
    expect(costUsd("claude-haiku-5-5", 100_000, 10_000)).toBe(0.015);
    expect(costUsd("claude-haiku-5-5", 200_000, 10_000)).toBe(0.125);
  });

  it("costs the offline model nothing", () => {
    expect(costUsd("offline", 5_000, 5_000)).toBe(0);
  });

  it("costs an unknown model 0 and warns once, without throwing", () => {
    warn.mockClear();
    expect(costUsd("claude-unknown-9", 1_000, 1_000)).toBe(0);
    expect(costUsd("claude-unknown-9", 2_000, 2_000)).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toEqual({ model: "claude-unknown-9" });
  });
});

describe("supportsForcedToolChoice", () => {
  it("is false for models that reject a forced tool choice and for unknown ids", () => {
    expect(supportsForcedToolChoice("claude-opus-5-5")).toBe(false);
    expect(supportsForcedToolChoice("claude-sonnet-5-5")).toBe(false);
    expect(supportsForcedToolChoice("claude-some-future-model")).toBe(false);
    expect(supportsForcedToolChoice("claude-opus-5")).toBe(true);
    expect(supportsForcedToolChoice("claude-sonnet-4-6")).toBe(true);
  });
});
