import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  defaultRetryPolicy,
  parseRetryAfterMs,
  retryDelayMs,
} from "@/lib/agents/retry";

describe("backoffDelayMs (exponential, full jitter)", () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 20_000 };

  it("stays within [0, min(cap, base * 2^retry)) for any random draw", () => {
    for (let retry = 0; retry < 10; retry++) {
      const ceiling = Math.min(20_000, 500 * 2 ** retry);
      for (const r of [0, 0.25, 0.5, 0.999_999]) {
        const delay = backoffDelayMs(retry, policy, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it("doubles the ceiling per retry until the cap", () => {
    const top = (retry: number) => backoffDelayMs(retry, policy, () => 0.999_999);
    expect([0, 1, 2, 3, 4, 5, 6].map(top)).toEqual([499, 999, 1999, 3999, 7999, 15999, 19999]);
    expect(top(30)).toBe(19999);
  });

  it("spreads delays over the whole range (jitter), not around a fixed value", () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(2000);
  });

  it("clamps a misbehaving random source", () => {
    expect(backoffDelayMs(0, policy, () => 7)).toBe(500);
    expect(backoffDelayMs(0, policy, () => -1)).toBe(0);
  });
});

describe("retryDelayMs", () => {
  it("uses the server's retry-after when given, clamped to the policy's maximum", () => {
    expect(retryDelayMs(0, 0, defaultRetryPolicy, () => 0.9)).toBe(0);
    expect(retryDelayMs(3, 7_000, defaultRetryPolicy, () => 0.9)).toBe(7_000);
    expect(retryDelayMs(0, 3_600_000, defaultRetryPolicy)).toBe(60_000);
  });

  it("falls back to jittered backoff without retry-after", () => {
    expect(retryDelayMs(1, undefined, defaultRetryPolicy, () => 0.5)).toBe(500);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "0" }))).toBe(0);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "12" }))).toBe(12_000);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "1.5" }))).toBe(1_500);
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(
      250,
    );
    const now = Date.parse("2026-11-22T10:00:00Z");
    expect(
      parseRetryAfterMs(new Headers({ "retry-after": "Sun, 22 Nov 2026 10:00:30 GMT" }), now),
    ).toBe(30_000);
    expect(
      parseRetryAfterMs(new Headers({ "retry-after": "Sun, 22 Nov 2026 09:00:00 GMT" }), now),
    ).toBe(0);
  });

  it("ignores missing or garbled values", () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers())).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ "retry-after": "-3" }))).toBeUndefined();
  });
});
