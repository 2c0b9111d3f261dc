import { afterEach, describe, expect, it, vi } from "vitest";
import { AnthropicProvider } from "@/lib/agents/anthropic-provider";
import { getLlmProvider, providerLabel, setLlmProvider } from "@/lib/agents/get-llm-provider";
import type { LlmProvider } from "@/lib/agents/llm-provider";
import { OfflineProvider } from "@/lib/agents/offline-provider";
import { resetEnvForTests } from "@/lib/env";

vi.mock("@/lib/specs/offline-authors", () => ({
  offlineAuthors: { summary: () => ({ title: "[offline]" }) },
}));

function withEnv(values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvForTests();
}

const saved = {
  ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY,
  ANTHROPIC_BASE_URL: process.env.ANTHROPIC_BASE_URL,
};

afterEach(() => {
  setLlmProvider(undefined);
  withEnv(saved);
});

describe("getLlmProvider", () => {
  it("uses Claude when ANTHROPIC_API_KEY is set, and reuses the client", async () => {
    withEnv({ ANTHROPIC_API_KEY: "sk-ant-api03-test", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" });
    const provider = await getLlmProvider();
    expect(provider).toBeInstanceOf(AnthropicProvider);
    expect(await getLlmProvider()).toBe(provider);
    expect(providerLabel()).toBe("anthropic");
  });

  it("uses the labelled offline provider without a key", async () => {
    withEnv({ ANTHROPIC_API_KEY: undefined });
    const provider = await getLlmProvider();
    expect(provider).toBeInstanceOf(OfflineProvider);
    expect(provider.name).toBe("offline");
    expect(providerLabel()).toBe("offline");
  });

  it("returns an injected provider to every caller until it is reset", async () => {
    withEnv({ ANTHROPIC_API_KEY: "sk-ant-api03-test" });
    const fake: LlmProvider = {
      name: "offline",
      generateStructured: () => Promise.reject(new Error("not used")),
    };
    setLlmProvider(fake);
    expect(await getLlmProvider()).toBe(fake);
    expect(providerLabel()).toBe("offline");
    setLlmProvider(undefined);
    expect(await getLlmProvider()).toBeInstanceOf(AnthropicProvider);
  });
});
