// Pure retry policy shared by failTask and requeueStaleTasks: no database, no server-only import.

/** Workers heartbeat this often; a lease outlives three missed beats. */
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** The default lease: a task with no heartbeat for 90 s is stale and goes back to the queue. */
export const DEFAULT_LEASE_MS = 90_000;

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 10 s. */
  baseMs?: number;
  /** Ceiling for the exponential delay. Default 10 min. */
  maxMs?: number;
  /** A number in [0, 1); Math.random by default (tests pass a constant). */
  random?: () => number;
}

/**
 * How long to wait before attempt `attempt + 1`, after `attempt` attempts
 * (1-based): base * 2^(attempt - 1), capped, with "equal jitter" — half fixed,
 * half random — so retries of tasks that failed together spread out but never
 * come back sooner than half the nominal delay.
 */
export function retryDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 10_000;
  const max = options.maxMs ?? 600_000;
  const random = options.random ?? Math.random;
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const nominal = Math.min(max, base * 2 ** exponent);
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/** Whether a task that has used `attempts` of `maxAttempts` may be tried again. */
export function hasAttemptsLeft(task: { attempts: number; maxAttempts: number }): boolean {
  return task.attempts < task.maxAttempts;
}
