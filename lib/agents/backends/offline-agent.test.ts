import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OfflineAgent, offlineNotePath } from "@/lib/agents/backends/offline-agent";
import { recordingContext, tempWorktree, testTask } from "@/lib/agents/backends/test-context";

let worktree: string;

beforeEach(async () => {
  worktree = await tempWorktree();
});

afterEach(async () => {
  await rm(worktree, { recursive: true, force: true });
});

describe("OfflineAgent", () => {
  it("writes a note recording the task in the worktree", async () => {
    const ctx = recordingContext(worktree);
    const result = await new OfflineAgent().run(ctx);

    expect(result).toMatchObject({ outcome: "completed", toolCalls: 1 });
    const relative = ".trellis/tasks/t-1-add-a-greeting-module.md";
    expect(offlineNotePath(ctx.task)).toBe(relative);
    const note = await readFile(path.join(worktree, relative), "utf8");
    expect(note).toContain("# T-1: Add a greeting module");
    expect(note).toContain("Create a module that greets the user by name.");
    expect(note).toContain("Requirements: R1, R2");
    expect(note).toContain("offline agent");
    expect(note).not.toContain("Feedback");
    expect(ctx.logText("AGENT")).toContain(relative);
    expect(ctx.heartbeats).toBeGreaterThan(0);
  });

  it("is deterministic, and a retry records the feedback so it changes the file", async () => {
    const first = recordingContext(worktree);
    await new OfflineAgent().run(first);
    const file = path.join(worktree, offlineNotePath(first.task));
    const before = await readFile(file, "utf8");
    await new OfflineAgent().run(recordingContext(worktree));
    expect(await readFile(file, "utf8")).toBe(before);

    const retry = recordingContext(
      worktree,
      testTask({ attempt: 2, feedback: "npm test: greeting.test.ts expected 'Hi, Ada'" }),
    );
    const result = await new OfflineAgent().run(retry);
    expect(result.outcome).toBe("completed");
    const after = await readFile(file, "utf8");
    expect(after).toContain("Attempt: 2");
    expect(after).toContain("## Feedback from the previous attempt");
    expect(after).toContain("expected 'Hi, Ada'");
  });

  it("fails on the [offline:fail] test hook without writing anything", async () => {
    const ctx = recordingContext(
      worktree,
      testTask({ description: "Break on purpose. [offline:fail]" }),
    );
    const result = await new OfflineAgent().run(ctx);
    expect(result.outcome).toBe("failed");
    expect(result.error).toContain("[offline:fail]");
    await expect(stat(path.join(worktree, ".trellis"))).rejects.toThrow();
  });

  it("sleeps on [offline:sleep N] with heartbeats, then completes", async () => {
    const ctx = recordingContext(worktree, testTask({ description: "Slow. [offline:sleep 80]" }));
    const result = await new OfflineAgent({ heartbeatMs: 10 }).run(ctx);
    expect(result.outcome).toBe("completed");
    expect(ctx.heartbeats).toBeGreaterThanOrEqual(3);
  });

  it("stops promptly when aborted during [offline:sleep N]", async () => {
    const ctx = recordingContext(
      worktree,
      testTask({ description: "Very slow. [offline:sleep 60000]" }),
    );
    setTimeout(() => ctx.controller.abort(), 30);
    const started = Date.now();
    const result = await new OfflineAgent({ heartbeatMs: 10 }).run(ctx);
    expect(result.outcome).toBe("stopped");
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(stat(path.join(worktree, ".trellis"))).rejects.toThrow();
  });
});
