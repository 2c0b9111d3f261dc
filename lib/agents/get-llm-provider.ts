import "server-only";
import { AnthropicProvider } from "@/lib/agents/anthropic-provider";
import type { LlmProvider } from "@/lib/agents/llm-provider";
import { type OfflineAuthor, OfflineProvider } from "@/lib/agents/offline-provider";
import { env } from "@/lib/env";

let injected: LlmProvider | undefined;
let anthropic: { apiKey: string; baseURL?: string; provider: AnthropicProvider } | undefined;
let offline: Promise<OfflineProvider> | undefined;

/**
 * Replaces the provider every caller without an explicit one gets (tests, scripts, a demo);
 * `undefined` restores the choice by environment.
 */
export function setLlmProvider(provider: LlmProvider | undefined): void {
  injected = provider;
}

/** The process's provider: Claude when ANTHROPIC_API_KEY is set, else the labelled offline one. */
export async function getLlmProvider(): Promise<LlmProvider> {
  if (injected) return injected;
  const { ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: baseURL } = env();
  if (apiKey) {
    if (!anthropic || anthropic.apiKey !== apiKey || anthropic.baseURL !== baseURL) {
      anthropic = { apiKey, baseURL, provider: new AnthropicProvider({ apiKey, baseURL }) };
    }
    return anthropic.provider;
  }
  // A failed load is not cached, so a fixed deployment recovers without a restart.
  offline ??= loadOfflineProvider().catch((error: unknown) => {
    offline = undefined;
    throw error;
  });
  return offline;
}

/** Which provider answers, for the UI's label ("offline" results are deterministic stand-ins). */
export function providerLabel(): "offline" | "anthropic" {
  if (injected) return injected.name;
  return env().ANTHROPIC_API_KEY ? "anthropic" : "offline";
}

async function loadOfflineProvider(): Promise<OfflineProvider> {
  // Loaded lazily: the authors pull in the spec schemas, which a real-model process never needs.
  const { offlineAuthors } = await import("@/lib/specs/offline-authors");
  return new OfflineProvider(offlineAuthors as Record<string, OfflineAuthor>);
}
