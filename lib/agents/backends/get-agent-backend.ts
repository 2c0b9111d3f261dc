import "server-only";
import type { AgentBackend, AgentBackendKind } from "@/lib/agents/backends/agent-backend";
import { ClaudeAgent } from "@/lib/agents/backends/claude-agent";
import { CliAgent, type CliAgentOptions } from "@/lib/agents/backends/cli-agent";
import { OfflineAgent } from "@/lib/agents/backends/offline-agent";
import { resolveModel } from "@/lib/agents/models";
import { AppError } from "@/lib/api/app-error";
import { env } from "@/lib/env";

export interface GetAgentBackendOptions {
  /** Force one back-end (a setting or a test); otherwise chosen as described below. */
  kind?: AgentBackendKind;
  /** The configured agent command (project or org setting); selects the CLI agent. */
  command?: string | null;
  cli?: Omit<CliAgentOptions, "command">;
  /** Organization.settings: the coder role's model (and fallback) for the Claude agent. */
  orgSettings?: unknown;
  /** The task's estimate: a small task takes the organization's light coding model. */
  estimateMinutes?: number | null;
}

/**
 * The agent for a run. A configured command wins (someone chose that CLI on purpose, while the
 * API key is process-wide), then Claude when ANTHROPIC_API_KEY is set, else the offline agent.
 */
export function getAgentBackend(options: GetAgentBackendOptions = {}): AgentBackend {
  const command = options.command?.trim();
  const { ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: baseURL } = env();
  const kind = options.kind ?? (command ? "CLI" : apiKey ? "CLAUDE" : "OFFLINE");
  switch (kind) {
    case "CLI":
      if (!command) throw new AppError("INVALID", "The CLI agent needs a command to run.");
      return new CliAgent({ ...options.cli, command });
    case "CLAUDE": {
      if (!apiKey) {
        throw new AppError("INVALID", "The Claude agent needs ANTHROPIC_API_KEY on the server.");
      }
      const { model, fallback } = resolveModel("coder", options.orgSettings, {
        estimateMinutes: options.estimateMinutes,
      });
      return new ClaudeAgent({ apiKey, baseURL, model, fallbackModel: fallback });
    }
    case "OFFLINE":
      return new OfflineAgent();
  }
}
