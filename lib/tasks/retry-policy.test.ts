import { describe, expect, it } from "vitest";
import { hasAttemptsLeft, retryDelayMs } from "./retry-policy";

describe("retry backoff", () => {
  it("doubles the delay with each attempt, between half and all of the nominal delay", () => {
    const low = (attempt: number) => retryDelayMs(attempt, { baseMs: 1000, random: () => 0 });
    const high = (attempt: number) =>
      retryDelayMs(attempt, { baseMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map(high)).toEqual([1000, 2000, 4000, 8000]);
  });

  it("caps the delay so a task that failed often still comes back", () => {
    expect(retryDelayMs(40, { baseMs: 1000, maxMs: 60_000, random: () => 0.999999 })).toBe(60_000);
    expect(retryDelayMs(40, { baseMs: 1000, maxMs: 60_000, random: () => 0 })).toBe(30_000);
  });

  it("spreads tasks that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(20_000);
      expect(delay).toBeLessThanOrEqual(40_000);
    }
  });

  it("allows another attempt only while attempts are left", () => {
    expect(hasAttemptsLeft({ attempts: 2, maxAttempts: 3 })).toBe(true);
    expect(hasAttemptsLeft({ attempts: 3, maxAttempts: 3 })).toBe(false);
  });
});
