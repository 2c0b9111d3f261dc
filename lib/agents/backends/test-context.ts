// Test helper (not a test): an AgentRunContext that records what an agent reports.
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {
  AgentLogStream,
  AgentRunContext,
  AgentTask,
  AgentUsage,
} from "@/lib/agents/backends/agent-backend";

export interface RecordingContext extends AgentRunContext {
  logs: { stream: AgentLogStream; text: string }[];
  usage: AgentUsage[];
  heartbeats: number;
  controller: AbortController;
  /** All log text of one stream, joined. */
  logText(stream?: AgentLogStream): string;
}

export function testTask(overrides: Partial<AgentTask> = {}): AgentTask {
  return {
    id: "tsk_test1",
    key: "T-1",
    title: "Add a greeting module",
    description: "Create a module that greets the user by name.",
    requirementIds: ["R1", "R2"],
    files: ["src/greeting.ts"],
    specTitle: "Greetings",
    attempt: 1,
    ...overrides,
  };
}

/** A worktree stand-in: a temp folder with a README (git is the orchestrator's business). */
export async function tempWorktree(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "trellis-agent-"));
  await writeFile(path.join(dir, "README.md"), "# fixture\n");
  return dir;
}

export function recordingContext(
  worktree: string,
  task: AgentTask = testTask(),
  extra: Partial<AgentRunContext> = {},
): RecordingContext {
  const controller = new AbortController();
  const ctx: RecordingContext = {
    worktree,
    task,
    signal: controller.signal,
    controller,
    logs: [],
    usage: [],
    heartbeats: 0,
    log(stream, text) {
      ctx.logs.push({ stream, text });
    },
    heartbeat() {
      ctx.heartbeats++;
    },
    async recordUsage(u) {
      ctx.usage.push(u);
    },
    logText(stream) {
      return ctx.logs
        .filter((entry) => stream === undefined || entry.stream === stream)
        .map((entry) => entry.text)
        .join("\n");
    },
    ...extra,
  };
  return ctx;
}
