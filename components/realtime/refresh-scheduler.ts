/**
 * When to re-render the page from the server after realtime events. A refresh re-renders the
 * layout and the page and re-prefetches the links on screen, so it is the costly step of the
 * live path; under load one can take longer than events take to arrive. Refreshes therefore
 * never pile up: a burst of events within `delayMs` becomes one refresh, and events that arrive
 * while one is on its way mark the page stale, which becomes exactly one more refresh when it
 * lands (`settled`). Nothing runs while `canRun` says no (a hidden tab); `resume` catches up.
 */
export function createRefreshScheduler(options: {
  delayMs: number;
  /** A refresh that never reports back (a navigation took its place) stops blocking after this. */
  settleTimeoutMs: number;
  refresh: () => void;
  canRun: () => boolean;
}) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let giveUp: ReturnType<typeof setTimeout> | undefined;
  let stale = false;
  let inFlight = false;

  const fire = () => {
    timer = undefined;
    if (!options.canRun()) return; // stays stale until resume()
    stale = false;
    inFlight = true;
    giveUp = setTimeout(settled, options.settleTimeoutMs);
    options.refresh();
  };
  const arm = () => {
    if (stale && timer === undefined && !inFlight) timer = setTimeout(fire, options.delayMs);
  };
  function settled() {
    if (!inFlight) return;
    inFlight = false;
    clearTimeout(giveUp);
    arm();
  }

  return {
    /** Something changed: refresh soon (once per burst, never two at a time). */
    request() {
      stale = true;
      arm();
    },
    /** The refresh asked for last has rendered. */
    settled,
    /** `canRun` may say yes again: catch up if anything changed meanwhile. */
    resume: arm,
    /** Stops its timers; what is stale stays stale for the next request. */
    dispose() {
      clearTimeout(timer);
      clearTimeout(giveUp);
      timer = undefined;
      inFlight = false;
    },
  };
}

export type RefreshScheduler = ReturnType<typeof createRefreshScheduler>;
