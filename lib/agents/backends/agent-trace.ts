/**
 * A run's trace: what happened, step by step, for audit and debugging — each model call with
 * the messages sent and the reply, each tool call with its input and result, commands,
 * verification steps and notes. Agents and the orchestrator emit these; the runner that holds
 * the run stores them (RunTraceEvent). Never put API keys, tokens or environments in one.
 */
export const traceEventKinds = [
  "model_call",
  "tool_call",
  "command",
  "verification",
  "note",
] as const;
export type TraceEventKind = (typeof traceEventKinds)[number];

export interface TraceEvent {
  kind: TraceEventKind;
  /** The model, the tool, the command's label, the verification kind or the note's topic. */
  name: string;
  startedAt: Date;
  durationMs: number;
  data: Record<string, unknown>;
}

/** Longest string kept in a trace event; tool results and file contents beyond it are cut. */
export const TRACE_STRING_LIMIT = 16_000;

/**
 * A JSON-safe copy of `value` with every string longer than `limit` cut (saying how much was
 * dropped): a trace keeps the shape of large payloads without storing whole files twice.
 */
export function capForTrace(value: unknown, limit = TRACE_STRING_LIMIT, depth = 0): unknown {
  if (typeof value === "string") {
    return value.length > limit
      ? `${value.slice(0, limit)}… [${value.length - limit} more characters]`
      : value;
  }
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString();
  if (depth > 20) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => capForTrace(item, limit, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined && typeof item !== "function") {
        out[key] = capForTrace(item, limit, depth + 1);
      }
    }
    return out;
  }
  return null; // undefined, functions, symbols, bigints: not JSON
}

/** Keys kept when a trace leaves a self-hosted runner: timings, tokens and outcomes, no content. */
const METADATA_KEYS = new Set([
  "model",
  "turn",
  "attempt",
  "inputTokens",
  "outputTokens",
  "costUsd",
  "stopReason",
  "toolUses",
  "isError",
  "verdict",
  "exitCode",
  "passed",
  "timedOut",
  "cancelled",
  "command",
  "kind",
  "path",
  "error",
  "action",
]);

/**
 * The trace as a self-hosted runner ships it: source code never leaves the customer's network,
 * so prompts, replies, tool inputs and results stay on the runner; names, timings, tokens and
 * outcomes go to the server.
 */
export function redactTraceEvent(event: TraceEvent): TraceEvent {
  const data: Record<string, unknown> = { redacted: true };
  for (const [key, value] of Object.entries(event.data)) {
    if (METADATA_KEYS.has(key)) data[key] = capForTrace(value, 500);
  }
  return { ...event, data };
}

/** An event that started at `startedAt` and ends now, its data capped for storage. */
export function traceEvent(
  kind: TraceEventKind,
  name: string,
  startedAt: Date,
  data: Record<string, unknown>,
  durationMs = Date.now() - startedAt.getTime(),
): TraceEvent {
  return {
    kind,
    name,
    startedAt,
    durationMs: Math.max(0, Math.round(durationMs)),
    data: capForTrace(data) as Record<string, unknown>,
  };
}
