import { access, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliAgent } from "@/lib/agents/backends/cli-agent";
import { recordingContext, tempWorktree, testTask } from "@/lib/agents/backends/test-context";

let worktree: string;

beforeEach(async () => {
  worktree = await tempWorktree();
});

afterEach(async () => {
  await rm(worktree, { recursive: true, force: true });
});

describe("CliAgent", () => {
  it("runs the command in the worktree with the task in its environment", async () => {
    // A stand-in coding agent: reads the prompt file and changes a file.
    const script = [
      'mkdir -p src && printf "%s|%s|%s\\n" "$TRELLIS_TASK_ID" "$TRELLIS_TASK_KEY" "$TRELLIS_TASK_TITLE" > src/task.txt',
      'cat "$TRELLIS_TASK_PROMPT_FILE" >> src/task.txt',
      'echo "$TRELLIS_TASK_PROMPT_FILE" > prompt-path.txt',
      'echo "edited src/task.txt"',
    ].join(" && ");
    const ctx = recordingContext(
      worktree,
      testTask({ attempt: 2, feedback: "lint: missing semicolon in src/greeting.ts" }),
    );
    const result = await new CliAgent({ command: script, network: "none" }).run(ctx);

    expect(result.outcome).toBe("completed");
    expect(result.summary).toContain("edited src/task.txt");
    const written = await readFile(path.join(worktree, "src/task.txt"), "utf8");
    expect(written).toContain("tsk_test1|T-1|Add a greeting module");
    expect(written).toContain("## Description");
    expect(written).toContain("missing semicolon in src/greeting.ts");
    // The prompt lived outside the worktree and is gone afterwards.
    const promptPath = (await readFile(path.join(worktree, "prompt-path.txt"), "utf8")).trim();
    expect(path.relative(worktree, promptPath).startsWith("..")).toBe(true);
    await expect(access(promptPath)).rejects.toThrow();
    expect(ctx.logText("STDOUT")).toContain("edited src/task.txt");
  });

  it("fails with the tail of the output when the command exits non-zero", async () => {
    const ctx = recordingContext(worktree);
    const agent = new CliAgent({
      command: 'echo "working on it"; echo "error: tests broke" >&2; exit 3',
      network: "none",
    });
    const result = await agent.run(ctx);

    expect(result.outcome).toBe("failed");
    expect(result.error).toContain("exited with code 3");
    expect(result.error).toContain("error: tests broke");
    expect(ctx.logText("STDERR")).toContain("error: tests broke");
  });

  it("fails when the command runs past its time limit", async () => {
    const ctx = recordingContext(worktree);
    const agent = new CliAgent({ command: "sleep 30", timeoutMs: 200, network: "none" });
    const result = await agent.run(ctx);
    expect(result.outcome).toBe("failed");
    expect(result.error).toContain("timed out");
  });

  it("stops when the run is cancelled", async () => {
    const ctx = recordingContext(worktree);
    setTimeout(() => ctx.controller.abort(), 200);
    const started = Date.now();
    const result = await new CliAgent({ command: "sleep 30", network: "none" }).run(ctx);
    expect(result.outcome).toBe("stopped");
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
