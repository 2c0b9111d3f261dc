// A job engine for in-process integration tests: `send` starts the subscribed functions right
// away in this process (not awaited, as a real engine answers before the work is done), with
// memoised steps and the function's retries, and `settled()` waits until every run — including the
// runs those runs sent — has finished. It deduplicates by event id like the real engines unless
// told not to, so a test can also show what happens when the engine's deduplication is not there
// to help (a redelivery after its window, two engines).
import {
  type AnyJobFunction,
  functionsForEvent,
  isPermanentJobError,
  type JobEngine,
  type JobEvent,
  type StepTools,
  toJson,
} from "@/lib/jobs/port";

export interface InlineJobEngine extends JobEngine {
  sent: JobEvent<unknown>[];
  /** Runs that failed after their retries, with their errors. */
  failures: Array<{ functionId: string; event: JobEvent<unknown>; error: unknown }>;
  /** Resolves once no run is in flight. */
  settled(): Promise<void>;
}

function memoSteps(): StepTools {
  const finished = new Map<string, unknown>();
  return {
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      if (finished.has(id)) return finished.get(id) as T;
      const result = toJson(await fn());
      finished.set(id, result);
      return result;
    },
  };
}

export function inlineJobEngine(
  functions: readonly AnyJobFunction[],
  options: { dedupe?: boolean } = {},
): InlineJobEngine {
  const dedupe = options.dedupe ?? true;
  const seen = new Set<string>();
  const running = new Set<Promise<void>>();
  const engine: InlineJobEngine = {
    name: "dbos",
    sent: [],
    failures: [],
    async send<D>(event: JobEvent<D>) {
      const copy = toJson(event) as JobEvent<unknown>;
      engine.sent.push(copy);
      const runId = `inline:${event.id ?? engine.sent.length}`;
      if (dedupe && event.id) {
        if (seen.has(event.id)) return { runId };
        seen.add(event.id);
      }
      for (const fn of functionsForEvent(functions, event.name)) {
        const step = memoSteps();
        const run = (async () => {
          const retries = fn.config.retries ?? 0;
          for (let attempt = 0; ; attempt++) {
            try {
              await fn.handler({ event: copy, step, attempt });
              return;
            } catch (error) {
              if (attempt >= retries || isPermanentJobError(error)) {
                engine.failures.push({ functionId: fn.config.id, event: copy, error });
                return;
              }
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          }
        })();
        running.add(run);
        void run.finally(() => running.delete(run));
      }
      return { runId };
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
  return engine;
}
