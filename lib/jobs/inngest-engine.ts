// The Inngest engine (inngest SDK 4.x), used instead of DBOS when INNGEST_EVENT_KEY or
// INNGEST_DEV is set: the same JobFunctions become Inngest functions, served by
// app/api/inngest/route.ts, and events go to Inngest with `inngest.send`.
//
// How a JobFunction maps onto Inngest:
// - id, event trigger and retries carry over; `step.run` is Inngest's step.run (memoised by id).
// - Idempotency: the event id is Inngest's event id, and Inngest drops a second event with an id
//   it has seen (within 24 hours).
// - Concurrency: Inngest takes a CEL expression, not a function, so the sender evaluates each
//   subscribed function's key(data) and ships the results in the event's data under
//   CONCURRENCY_KEYS_FIELD; the function's key expression reads its own entry. Handlers never
//   see that field. Inngest's limit counts concurrently executing steps (DBOS' counts runs).
// - PermanentJobError becomes NonRetriableError, which Inngest does not retry.
import "server-only";
import { Inngest, type InngestFunction, type Logger, NonRetriableError } from "inngest";
import {
  type AnyJobFunction,
  DEFAULT_RETRIES,
  functionsForEvent,
  isPermanentJobError,
  type JobEngine,
  type JobEvent,
  type JobRegistry,
  lazyRegistry,
  type StepTools,
} from "@/lib/jobs/port";

/** The Inngest app id that functions are registered under. */
export const INNGEST_APP_ID = "trellis";
/** Reserved event-data field carrying each subscribed function's concurrency key. */
export const CONCURRENCY_KEYS_FIELD = "_jobKeys";

export interface InngestClientOptions {
  eventKey?: string;
  signingKey?: string;
  /** The INNGEST_DEV value: "1"/"true" for the local dev server, or the dev server's URL. */
  dev?: string;
  /** A self-hosted Inngest server (event and API base URL). */
  baseUrl?: string;
  logger?: Logger;
}

/**
 * An Inngest client configured from explicit options. (The SDK also reads INNGEST_* variables
 * by itself; everything we set comes from lib/env.)
 */
export function createInngestClient(options: InngestClientOptions): Inngest {
  const dev = options.dev?.trim();
  const isDev = dev !== undefined && dev !== "" && !["0", "false"].includes(dev.toLowerCase());
  const devUrl = isDev && /^https?:\/\//i.test(dev) ? dev : undefined;
  const baseUrl = options.baseUrl ?? devUrl;
  return new Inngest({
    id: INNGEST_APP_ID,
    isDev,
    ...(options.eventKey ? { eventKey: options.eventKey } : {}),
    ...(options.signingKey ? { signingKey: options.signingKey } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/** The CEL expression that reads `functionId`'s concurrency key from an event. */
export function concurrencyKeyExpression(functionId: string): string {
  return `event.data.${CONCURRENCY_KEYS_FIELD}[${JSON.stringify(functionId)}]`;
}

type InngestRetries = NonNullable<InngestFunction.Options["retries"]>;

/** One JobFunction as an Inngest function of `client`. */
export function toInngestFunction(client: Inngest, fn: AnyJobFunction): InngestFunction.Any {
  const { id, event, concurrency } = fn.config;
  // defineJobFunction checked 0–20, the range Inngest's literal union type spells out.
  const retries = (fn.config.retries ?? DEFAULT_RETRIES) as InngestRetries;
  return client.createFunction(
    {
      id,
      triggers: [{ event }],
      retries,
      ...(concurrency
        ? { concurrency: [{ key: concurrencyKeyExpression(id), limit: concurrency.limit }] }
        : {}),
    },
    async (ctx) => {
      const { [CONCURRENCY_KEYS_FIELD]: _keys, ...data } = (ctx.event.data ?? {}) as Record<
        string,
        unknown
      >;
      const step: StepTools = {
        run: async <T>(stepId: string, body: () => Promise<T>): Promise<T> => {
          const result = await ctx.step.run(stepId, async () => {
            try {
              return await body();
            } catch (error) {
              throw asInngestError(error);
            }
          });
          // Inngest types the memoised value as Jsonify<T>; the port documents that step
          // results are JSON, so the stored copy is the T the handler asked for.
          return result as T;
        },
      };
      const jobEvent: JobEvent<unknown> = {
        name: ctx.event.name,
        data,
        ...(ctx.event.id ? { id: ctx.event.id } : {}),
      };
      try {
        return await fn.handler({ event: jobEvent, step, attempt: ctx.attempt });
      } catch (error) {
        throw asInngestError(error);
      }
    },
  );
}

/** Every JobFunction as an Inngest function, for `serve`. */
export function toInngestFunctions(
  client: Inngest,
  functions: readonly AnyJobFunction[],
): InngestFunction.Any[] {
  return functions.map((fn) => toInngestFunction(client, fn));
}

function asInngestError(error: unknown): unknown {
  if (!isPermanentJobError(error) || error instanceof NonRetriableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new NonRetriableError(message, { cause: error });
}

export interface InngestSenderOptions {
  client: Inngest;
  /** The registry, or a loader for it (imported lazily to keep import cycles out). */
  functions: JobRegistry;
}

/** Sends events to Inngest, adding the concurrency keys of the functions they start. */
export function createInngestSender(options: InngestSenderOptions): JobEngine {
  const getFunctions = lazyRegistry(options.functions);

  return {
    name: "inngest",
    async send<D>(event: JobEvent<D>) {
      const { data } = event;
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        throw new Error(`Event "${event.name}": Inngest event data must be a JSON object`);
      }
      const keys: Record<string, string> = {};
      for (const fn of functionsForEvent(await getFunctions(), event.name)) {
        if (fn.config.concurrency) keys[fn.config.id] = fn.config.concurrency.key(data);
      }
      const payload = {
        name: event.name,
        data: Object.keys(keys).length > 0 ? { ...data, [CONCURRENCY_KEYS_FIELD]: keys } : data,
        ...(event.id ? { id: event.id } : {}),
      };
      const { ids } = await options.client.send(payload);
      const runId = ids[0];
      if (!runId) throw new Error(`Inngest accepted "${event.name}" but returned no event id`);
      return { runId };
    },
  };
}
