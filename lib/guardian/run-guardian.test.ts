import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRunGuardian, stableJson } from "./run-guardian";

describe("run guardian: repeated tool calls", () => {
  it("nudges at the third identical call, then stops the run at the next three", () => {
    const g = createRunGuardian({ repeatLimit: 3 });
    const read = () => g.toolCall("read_file", { path: "a.txt" });
    expect(read()).toBeNull();
    expect(read()).toBeNull();
    const nudge = read();
    expect(nudge).toMatchObject({ action: "NUDGE" });
    expect(nudge?.reason).toContain('read_file({"path":"a.txt"})');
    expect(nudge?.action === "NUDGE" && nudge.message).toMatch(/Change your approach/);
    expect(read()).toBeNull();
    expect(read()).toBeNull();
    const stop = read();
    expect(stop).toMatchObject({ action: "ESCALATE" });
    expect(stop?.reason).toMatch(/again after a nudge/);
  });

  it("does not count calls with different input, or calls with others in between", () => {
    const g = createRunGuardian({ repeatLimit: 3 });
    for (let i = 0; i < 10; i++) {
      expect(g.toolCall("run_command", { command: "npm test" })).toBeNull();
      expect(g.toolCall("edit_file", { path: "a.ts", n: i })).toBeNull();
    }
  });

  it("treats inputs with the same keys in another order as the same call", () => {
    const g = createRunGuardian({ repeatLimit: 2 });
    expect(g.toolCall("search", { a: 1, b: 2 })).toBeNull();
    expect(g.toolCall("search", { b: 2, a: 1 })).toMatchObject({ action: "NUDGE" });
  });

  it("stableJson is the same for any key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(stableJson(reversed)).toBe(stableJson(object));
      }),
    );
  });
});

describe("run guardian: no progress", () => {
  it("restarts after the quiet period, then escalates if it happens again", () => {
    let t = 0;
    const g = createRunGuardian({ noProgressMs: 60_000 }, () => t);
    t = 59_000;
    expect(g.check()).toBeNull();
    t = 61_000;
    expect(g.check()).toMatchObject({ action: "RESTART", reason: expect.stringMatching(/1 min/) });
    t = 100_000;
    g.progress();
    t = 159_000;
    expect(g.check()).toBeNull();
    t = 161_000;
    expect(g.check()).toMatchObject({ action: "ESCALATE" });
  });

  it("counts tool calls as progress", () => {
    let t = 0;
    const g = createRunGuardian({ noProgressMs: 1_000 }, () => t);
    for (t = 500; t < 10_000; t += 500) {
      g.toolCall("read_file", { path: `${t}` });
      expect(g.check()).toBeNull();
    }
  });
});
