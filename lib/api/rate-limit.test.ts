import { describe, expect, it } from "vitest";
import { evaluateWindow } from "./rate-limit";

const base = { limit: 10, windowMs: 60_000 };

describe("sliding-window rate limit", () => {
  it("allows up to the limit in a fresh window and says how many remain", () => {
    expect(evaluateWindow({ ...base, elapsedMs: 0, current: 10, previous: 0 })).toEqual({
      allowed: true,
      limit: 10,
      remaining: 0,
      retryAfterSeconds: 0,
    });
    expect(evaluateWindow({ ...base, elapsedMs: 0, current: 11, previous: 0 }).allowed).toBe(false);
  });

  it("weights the previous window by how much of it still overlaps", () => {
    // Half-way through: 10 previous requests count as 5.
    expect(evaluateWindow({ ...base, elapsedMs: 30_000, current: 5, previous: 10 }).allowed).toBe(
      true,
    );
    expect(evaluateWindow({ ...base, elapsedMs: 30_000, current: 6, previous: 10 }).allowed).toBe(
      false,
    );
  });

  it("asks a refused caller to wait until the estimate is back under the limit", () => {
    // 6 + 10 * (1 - (30 + t) / 60) <= 10  =>  t >= 6 s
    expect(
      evaluateWindow({ ...base, elapsedMs: 30_000, current: 6, previous: 10 }).retryAfterSeconds,
    ).toBe(6);
    // Over the limit on its own: the rest of this window plus part of the next.
    // 30 s left, then 20 * (1 - t / 60) <= 10  =>  t >= 30 s
    expect(
      evaluateWindow({ ...base, elapsedMs: 30_000, current: 20, previous: 0 }).retryAfterSeconds,
    ).toBe(60);
  });
});
