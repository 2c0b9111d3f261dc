// The durable-function port: background functions (one per file in inngest/) are written
// against these types only, and an engine runs them — DBOS in the worker process by default
// (lib/jobs/dbos-engine), Inngest when configured (lib/jobs/inngest-engine). Nothing here
// knows about either engine or about Trellis' domain.
//
// Rules a function must follow so that both engines can run it:
// - Event data and step results are JSON: both engines store them as JSON and hand back the
//   parsed copy (a Date comes back as an ISO string, `undefined` fields disappear, class
//   instances become plain objects). Return plain data from steps.
// - Steps are memoised: once `step.run(id, fn)` has finished, a re-run of the function (after
//   a retry, a crash or a restart) gets the stored result and `fn` is not called again. Work
//   with side effects belongs inside a step; a step runs at least once (a crash in the middle of
//   a step re-runs it), so make step bodies idempotent.
// - Step ids are unique within a function and the sequence of steps is deterministic for a given
//   event: DBOS records steps by call order and checks the id at each position on replay;
//   Inngest keys them by id. Don't branch on the clock, randomness or unsaved reads outside
//   steps.
// - Functions are short. Long waits (human approvals) live in our tables: the approval is an
//   event that starts the next function (ARCHITECTURE decision 3).

/** An event that starts every function subscribed to its name. */
export interface JobEvent<D> {
  name: string;
  data: D;
  /**
   * Deterministic idempotency key: sending the same id twice starts one run per function.
   * Derive it from what the event means (e.g. `spec-approved:${specId}:${version}`). Without an
   * id every send starts new runs.
   */
  id?: string;
}

/** The step tools a handler gets. */
export interface StepTools {
  /**
   * Run `fn` as a durable step named `id`. Memoised: after a retry, crash or restart a finished
   * step returns its stored result without running again. The result must be JSON-serialisable.
   * A step that throws is retried (see `JobFunctionConfig.retries`) unless the error is a
   * `PermanentJobError`.
   */
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
}

/** At most `limit` runs at once per key (e.g. per organization). */
export interface JobConcurrency<D> {
  // Method syntax on purpose (here and below): methods are bivariant in their parameters, so a
  // JobFunction<SpecificData> fits in a list of AnyJobFunction.
  key(data: D): string;
  limit: number;
}

export interface JobFunctionConfig<D> {
  /** Stable id: the DBOS workflow/queue name and the Inngest function id. Never rename. */
  id: string;
  /** Name of the event that starts this function. */
  event: string;
  /**
   * How many times a failing step (or handler) is retried, with exponential backoff, before the
   * run fails. 0–20; default DEFAULT_RETRIES. `PermanentJobError`s are never retried.
   */
  retries?: number;
  /**
   * Concurrency limit per key. DBOS limits runs (a partitioned queue, one partition per key);
   * Inngest limits concurrently executing steps of runs with the same key.
   */
  concurrency?: JobConcurrency<D>;
}

export interface JobContext<D> {
  event: JobEvent<D>;
  step: StepTools;
  /** 0 on the first attempt, then 1, 2, … as the engine retries the handler. */
  attempt: number;
}

export interface JobFunction<D> {
  config: JobFunctionConfig<D>;
  handler(ctx: JobContext<D>): Promise<unknown>;
}

/** A job function of any event data type (the registry in inngest/functions.ts holds these). */
export type AnyJobFunction = JobFunction<unknown>;

/** The sending side of an engine. Send only after the database write that caused it commits. */
export interface JobEngine {
  readonly name: "dbos" | "inngest";
  /**
   * Start the functions subscribed to `event.name`. `runId` identifies the run in the engine
   * (a DBOS workflow id, or the event id Inngest assigned).
   */
  send<D>(event: JobEvent<D>): Promise<{ runId: string }>;
}

/** Retries when a function does not say. Inngest's own default is 4; we keep runs short. */
export const DEFAULT_RETRIES = 3;
/** Inngest accepts 0–20; DBOS would take more, but one limit keeps the engines equivalent. */
export const MAX_RETRIES = 20;

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** Define a background function: `config` says when and how it runs, `handler` what it does. */
export function defineJobFunction<D>(
  config: JobFunctionConfig<D>,
  handler: (ctx: JobContext<D>) => Promise<unknown>,
): JobFunction<D> {
  if (!ID_PATTERN.test(config.id)) {
    throw new Error(`Job function id "${config.id}" must match ${ID_PATTERN} (lowercase, stable)`);
  }
  if (!config.event) throw new Error(`Job function "${config.id}" needs an event name`);
  const retries = config.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
    throw new Error(`Job function "${config.id}": retries must be an integer 0–${MAX_RETRIES}`);
  }
  if (config.concurrency) {
    const { limit } = config.concurrency;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`Job function "${config.id}": concurrency limit must be an integer >= 1`);
    }
  }
  return { config: { ...config, retries }, handler };
}

/**
 * Throw (from a step or the handler) for a failure that retrying cannot fix — invalid input, a
 * row that will never exist. The run fails at once instead of being retried.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/**
 * True for a PermanentJobError, also after an engine serialised and revived it (which keeps the
 * name but not the class).
 */
export function isPermanentJobError(error: unknown): boolean {
  return (
    error instanceof PermanentJobError ||
    (error instanceof Error && error.name === "PermanentJobError")
  );
}

/** The functions subscribed to an event name, in registry order. */
export function functionsForEvent(
  functions: readonly AnyJobFunction[],
  eventName: string,
): AnyJobFunction[] {
  return functions.filter((fn) => fn.config.event === eventName);
}

/** Throws if two functions share an id (their DBOS workflow/queue names would collide). */
export function assertUniqueIds(functions: readonly AnyJobFunction[]): void {
  const seen = new Set<string>();
  for (const fn of functions) {
    if (seen.has(fn.config.id)) throw new Error(`Two job functions share the id "${fn.config.id}"`);
    seen.add(fn.config.id);
  }
}

/** A JSON round trip: what a step result looks like after either engine stored it. */
export function toJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The function registry as a list, or a loader (imported lazily to keep import cycles out). */
export type JobRegistry = readonly AnyJobFunction[] | (() => Promise<readonly AnyJobFunction[]>);

/** A getter that resolves a registry once, on first use. */
export function lazyRegistry(functions: JobRegistry): () => Promise<readonly AnyJobFunction[]> {
  let loaded: Promise<readonly AnyJobFunction[]> | undefined;
  return () => {
    loaded ??= typeof functions === "function" ? functions() : Promise.resolve(functions);
    return loaded;
  };
}
