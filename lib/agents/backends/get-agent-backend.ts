import "server-only";
import type { AgentBackend, AgentBackendKind } from "@/lib/agents/backends/agent-backend";
import { ClaudeAgent } from "@/lib/agents/backends/claude-agent";
import { CliAgent, type CliAgentOptions } from "@/lib/agents/backends/cli-agent";
import { OfflineAgent } from "@/lib/agents/backends/offline-agent";
import type { ModelChoice } from "@/lib/agents/models";
import { AppError } from "@/lib/api/app-error";
import { env } from "@/lib/env";

export interface GetAgentBackendOptions {
  /** Force one back-end (a setting or a test); otherwise chosen as described below. */
  kind?: AgentBackendKind;
  /** The configured agent command (project or org setting); selects the CLI agent. */
  command?: string | null;
  cli?: Omit<CliAgentOptions, "command">;
  /** The Claude agent's model and fallback, from taskModel (the organization's routing); the default routing without. */
  model?: ModelChoice;
}

/**
 * Which agent runs a task: a configured command wins (someone chose that CLI on purpose, while
 * the API key is process-wide), then Claude where an Anthropic API key is set, else the offline
 * agent. A self-hosted runner says whether it has a key; the server decides for it with this.
 */
export function agentKindFor(options: {
  command?: string | null;
  claude: boolean;
}): AgentBackendKind {
  return options.command?.trim() ? "CLI" : options.claude ? "CLAUDE" : "OFFLINE";
}

/** The agent for a run: `kind`, else agentKindFor this process's ANTHROPIC_API_KEY. */
export function getAgentBackend(options: GetAgentBackendOptions = {}): AgentBackend {
  const command = options.command?.trim();
  const { ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: baseURL } = env();
  const kind = options.kind ?? agentKindFor({ command, claude: Boolean(apiKey) });
  switch (kind) {
    case "CLI":
      if (!command) throw new AppError("INVALID", "The CLI agent needs a command to run.");
      return new CliAgent({ ...options.cli, command });
    case "CLAUDE": {
      if (!apiKey) {
        throw new AppError("INVALID", "The Claude agent needs ANTHROPIC_API_KEY on the server.");
      }
      return new ClaudeAgent({
        apiKey,
        baseURL,
        model: options.model?.model,
        fallbackModel: options.model?.fallback,
      });
    }
    case "OFFLINE":
      return new OfflineAgent();
  }
}
