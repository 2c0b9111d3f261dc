import type { TraceEvent } from "@/lib/agents/backends/agent-trace";
import type { Prisma } from "@/lib/generated/prisma/client";

/** A trace event as a RunTraceEvent row of the run, at position `seq` in its trace. */
export function traceEventRow(
  orgId: string,
  runId: string,
  seq: number,
  event: TraceEvent,
): Prisma.RunTraceEventCreateManyInput {
  return {
    orgId,
    runId,
    seq,
    kind: event.kind,
    name: event.name.slice(0, 200),
    // Already JSON-safe (capForTrace); the cast names the type Prisma wants for a Json column.
    data: event.data as Prisma.InputJsonObject,
    startedAt: event.startedAt,
    durationMs: event.durationMs,
  };
}
