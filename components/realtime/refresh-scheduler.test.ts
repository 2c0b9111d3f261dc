import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRefreshScheduler } from "./refresh-scheduler";

// Fake timers: the scheduler's behaviour is about order (what runs after what), not speed.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(visible = { value: true }) {
  const refresh = vi.fn();
  const scheduler = createRefreshScheduler({
    delayMs: 150,
    settleTimeoutMs: 10_000,
    refresh,
    canRun: () => visible.value,
  });
  return { refresh, scheduler, visible };
}

describe("createRefreshScheduler", () => {
  it("turns a burst of events into one refresh", () => {
    const { refresh, scheduler } = setup();
    for (let i = 0; i < 20; i++) scheduler.request();
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(150);
    expect(refresh).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("never starts a refresh while one is on its way; one more follows for what changed meanwhile", () => {
    const { refresh, scheduler } = setup();
    scheduler.request();
    vi.advanceTimersByTime(150);
    expect(refresh).toHaveBeenCalledTimes(1);

    // A slow refresh: events keep coming, nothing piles up behind it.
    for (let i = 0; i < 30; i++) {
      scheduler.request();
      vi.advanceTimersByTime(100);
    }
    expect(refresh).toHaveBeenCalledTimes(1);

    scheduler.settled();
    vi.advanceTimersByTime(150);
    expect(refresh).toHaveBeenCalledTimes(2);
    scheduler.settled();
    vi.advanceTimersByTime(5_000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it("does nothing after a refresh when no event arrived during it", () => {
    const { refresh, scheduler } = setup();
    scheduler.request();
    vi.advanceTimersByTime(150);
    scheduler.settled();
    vi.advanceTimersByTime(5_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("stops waiting for a refresh that never reports back", () => {
    const { refresh, scheduler } = setup();
    scheduler.request();
    vi.advanceTimersByTime(150);
    scheduler.request();
    vi.advanceTimersByTime(10_000 + 150);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it("holds refreshes while it cannot run and catches up once on resume", () => {
    const { refresh, scheduler, visible } = setup({ value: false });
    scheduler.request();
    vi.advanceTimersByTime(150);
    scheduler.request();
    vi.advanceTimersByTime(150);
    expect(refresh).not.toHaveBeenCalled();

    visible.value = true;
    scheduler.resume();
    vi.advanceTimersByTime(150);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("resume does nothing when nothing changed", () => {
    const { refresh, scheduler } = setup();
    scheduler.resume();
    vi.advanceTimersByTime(1_000);
    expect(refresh).not.toHaveBeenCalled();
  });
});
