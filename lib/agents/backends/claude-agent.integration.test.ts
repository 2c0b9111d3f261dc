import { access, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudeAgent } from "@/lib/agents/backends/claude-agent";
import { recordingContext, tempWorktree, testTask } from "@/lib/agents/backends/test-context";
import { costUsd } from "@/lib/agents/models";
import { createRunGuardian } from "@/lib/guardian/run-guardian";
import {
  errorReply,
  type FakeAnthropic,
  type FakeReply,
  startFakeAnthropic,
} from "@/lib/testing/fake-anthropic";

const MODEL = "claude-sonnet-4-6";

let fake: FakeAnthropic;
let worktree: string;

beforeEach(async () => {
  fake = await startFakeAnthropic();
  worktree = await tempWorktree();
});

afterEach(async () => {
  await fake.close();
  await rm(worktree, { recursive: true, force: true });
});

function agent(options: { maxTurns?: number } = {}) {
  return new ClaudeAgent({
    apiKey: fake.apiKey,
    baseURL: fake.url,
    model: MODEL,
    maxTurns: options.maxTurns,
    random: () => 0,
    sleep: async () => {},
  });
}

const call = (name: string, input: unknown): FakeReply => ({
  kind: "tool_use",
  name,
  input,
  usage: { input_tokens: 1000, output_tokens: 200 },
});

/** The tool_result blocks our agent sent in request `index` (its last user message). */
function toolResults(index: number): Array<Record<string, unknown>> {
  const messages = fake.requests[index]?.body.messages ?? [];
  const last = messages[messages.length - 1];
  if (!last || typeof last.content === "string") return [];
  return last.content.filter((block) => block.type === "tool_result");
}

describe("ClaudeAgent", () => {
  it("works through the tools until finish: lists, writes, runs a command", async () => {
    fake.enqueue(
      call("list_files", { path: "." }),
      call("write_file", { path: "src/hello.txt", content: "hello from claude\n" }),
      call("run_command", { command: "cat src/hello.txt" }),
      call("finish", { summary: "Added src/hello.txt." }),
    );
    const ctx = recordingContext(worktree);
    const result = await agent().run(ctx);

    expect(result).toEqual({ outcome: "completed", summary: "Added src/hello.txt.", toolCalls: 4 });
    expect(await readFile(path.join(worktree, "src/hello.txt"), "utf8")).toBe(
      "hello from claude\n",
    );

    // The model got the task, the tools, and each tool's real result.
    const first = fake.requests[0]!.body;
    expect(first.model).toBe(MODEL);
    expect(String(first.system)).toContain("Add a greeting module");
    expect(first.tools?.map((tool) => tool.name)).toEqual([
      "list_files",
      "read_file",
      "search",
      "write_file",
      "edit_file",
      "run_command",
      "finish",
    ]);
    expect(String(toolResults(1)[0]?.content)).toContain("README.md");
    expect(String(toolResults(2)[0]?.content)).toContain("Wrote 18 bytes to src/hello.txt");
    const ran = toolResults(3)[0]!;
    expect(ran.is_error).toBeUndefined();
    expect(String(ran.content)).toContain("Exit code 0");
    expect(String(ran.content)).toContain("hello from claude");

    // Usage per call, priced from the table; output streamed; tool calls logged.
    expect(ctx.usage).toHaveLength(4);
    expect(ctx.usage[0]).toEqual({
      model: MODEL,
      inputTokens: 1000,
      outputTokens: 200,
      costUsd: costUsd(MODEL, 1000, 200),
    });
    expect(ctx.usage[0]!.costUsd).toBeGreaterThan(0);
    expect(ctx.logText("STDOUT")).toContain("hello from claude");
    expect(ctx.logText("AGENT")).toContain("→ write_file(");
    expect(ctx.heartbeats).toBeGreaterThanOrEqual(4);
  });

  it("refuses paths outside the worktree as is_error results and carries on", async () => {
    fake.enqueue(
      call("read_file", { path: "../../etc/passwd" }),
      call("write_file", { path: "../escaped.txt", content: "x" }),
      call("write_file", { path: ".git/hooks/pre-commit", content: "#!/bin/sh\n" }),
      call("edit_file", { path: "README.md", old: "# fixture", new: "# Greetings" }),
      call("finish", { summary: "Renamed the README heading." }),
    );
    const ctx = recordingContext(worktree);
    const result = await agent().run(ctx);

    expect(result.outcome).toBe("completed");
    for (const index of [1, 2, 3]) {
      const refused = toolResults(index)[0]!;
      expect(refused.is_error).toBe(true);
      expect(String(refused.content)).toContain("not allowed");
    }
    expect(String(toolResults(1)[0]?.content)).not.toContain("root:");
    await expect(access(path.join(worktree, "..", "escaped.txt"))).rejects.toThrow();
    expect(await readFile(path.join(worktree, "README.md"), "utf8")).toBe("# Greetings\n");
  });

  it("reports edit_file mismatches to the model", async () => {
    fake.enqueue(
      call("edit_file", { path: "README.md", old: "no such text", new: "x" }),
      call("finish", { summary: "Gave up." }),
    );
    await agent().run(recordingContext(worktree));
    const result = toolResults(1)[0]!;
    expect(result.is_error).toBe(true);
    expect(String(result.content)).toContain("not found");
  });

  it("asks about each tool call: a nudge is answered to the model instead of running it, a stop ends the run", async () => {
    fake.setDefault(call("read_file", { path: "README.md" }));
    const ctx = recordingContext(worktree);
    const guardian = createRunGuardian({ repeatLimit: 3 });
    const result = await agent().run({
      ...ctx,
      reviewToolCall: ({ name, input }) => {
        const verdict = guardian.toolCall(name, input);
        if (verdict?.action === "NUDGE") return { action: "nudge", message: verdict.message };
        if (verdict) return { action: "stop", reason: verdict.reason };
        return { action: "run" };
      },
    });

    expect(result.outcome).toBe("stopped");
    expect(result.error).toMatch(
      /repeated the same tool call 3 times in a row again after a nudge/,
    );
    expect(fake.requests).toHaveLength(6);
    // The third call was not run: the model got the nudge as that call's result.
    const nudged = toolResults(3)[0]!;
    expect(nudged.is_error).toBe(true);
    expect(String(nudged.content)).toMatch(/same read_file call 3 times/);
    expect(String(toolResults(2)[0]!.content)).toContain("# fixture");
  });

  it("stops when the abort signal fires during a model call", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.enqueue(call("list_files", {}), {
      kind: "wait",
      until: held,
      reply: call("finish", { summary: "too late" }),
    });
    const ctx = recordingContext(worktree);
    const running = agent().run(ctx);
    while (fake.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    ctx.controller.abort();
    const result = await running;
    release();

    expect(result.outcome).toBe("stopped");
    expect(result.error).toContain("cancelled");
    expect(result.toolCalls).toBe(1);
  });

  it("stops when the run's budget is spent", async () => {
    fake.setDefault(call("list_files", {}));
    const ctx = recordingContext(worktree, testTask(), { budgetUsd: 0.001 });
    const result = await agent().run(ctx);

    expect(result.outcome).toBe("stopped");
    expect(result.error).toContain("budget exceeded");
    expect(fake.requests).toHaveLength(1);
  });

  it("fails with the API's reason when a call cannot succeed", async () => {
    fake.enqueue(errorReply(400, "messages: too long"));
    const result = await agent().run(recordingContext(worktree));
    expect(result.outcome).toBe("failed");
    expect(result.error).toContain("messages: too long");
  });

  it("retries transient failures with the shared policy", async () => {
    fake.enqueue(errorReply(529, "Overloaded"), call("finish", { summary: "Done." }));
    const result = await agent().run(recordingContext(worktree));
    expect(result).toMatchObject({ outcome: "completed", summary: "Done." });
    expect(fake.requests).toHaveLength(2);
  });

  it("switches to the fallback model when the primary stays unavailable", async () => {
    fake.enqueue(
      errorReply(529, "Overloaded"),
      errorReply(529, "Overloaded"),
      call("finish", { summary: "Done on the fallback." }),
    );
    const ctx = recordingContext(worktree);
    const result = await new ClaudeAgent({
      apiKey: fake.apiKey,
      baseURL: fake.url,
      model: MODEL,
      fallbackModel: "claude-haiku-4-5",
      retry: { maxTries: 2 },
      sleep: async () => {},
    }).run(ctx);

    expect(result).toMatchObject({ outcome: "completed", summary: "Done on the fallback." });
    expect(fake.requests.map((request) => request.body.model)).toEqual([
      MODEL,
      MODEL,
      "claude-haiku-4-5",
    ]);
    expect(ctx.usage.map((u) => u.model)).toEqual(["claude-haiku-4-5"]);
  });

  it("stops a running command when the abort signal fires", async () => {
    fake.enqueue(call("run_command", { command: "sleep 30" }));
    const ctx = recordingContext(worktree);
    setTimeout(() => ctx.controller.abort(), 300);
    const started = Date.now();
    const result = await agent().run(ctx);

    expect(result.outcome).toBe("stopped");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(fake.requests).toHaveLength(1);
  });
});
