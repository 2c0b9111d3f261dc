import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogBatcher, type LogLine } from "./log-batcher";

describe("log batcher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("flushes every 50 lines and after 2 seconds, in order", async () => {
    const batches: LogLine[][] = [];
    const batcher = createLogBatcher({ flush: async (lines) => void batches.push(lines) });
    for (let i = 0; i < 120; i++) batcher.push({ stream: "STDOUT", text: `line ${i}` });
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.map((b) => b.length)).toEqual([50, 50]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat().map((l) => l.text)).toEqual(
      Array.from({ length: 120 }, (_, i) => `line ${i}`),
    );
  });

  it("splits chunks into lines and flushes the rest on close", async () => {
    const batches: LogLine[][] = [];
    const batcher = createLogBatcher({ flush: async (lines) => void batches.push(lines) });
    batcher.push({ stream: "STDERR", text: "a\nb\r\n\nc" });
    await batcher.close();
    expect(batches).toEqual([
      [
        { stream: "STDERR", text: "a" },
        { stream: "STDERR", text: "b" },
        { stream: "STDERR", text: "c" },
      ],
    ]);
  });
});
