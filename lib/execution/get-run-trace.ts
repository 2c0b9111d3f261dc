import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { runVerifications } from "./run-verifications";

/**
 * A run's full trace: its metadata (timings, tokens, cost, agent, models), the trace events in
 * order, the log, verification results, the guardian's interventions and the diff. Another
 * organization's run is NOT_FOUND. `logs: false` leaves the log out (the task page has it).
 */
export async function getRunTrace(
  db: Db,
  options: { actor: Actor; runId: string; logs?: boolean },
) {
  const { actor } = options;
  assertCan(actor, "read");
  const run = await db.run.findFirst({
    where: { id: options.runId, orgId: actor.orgId },
    select: {
      id: true,
      kind: true,
      attempt: true,
      status: true,
      agentKind: true,
      model: true,
      workerId: true,
      branch: true,
      commitSha: true,
      summary: true,
      diff: true,
      errorKind: true,
      errorMessage: true,
      costUsd: true,
      inputTokens: true,
      outputTokens: true,
      startedAt: true,
      finishedAt: true,
      createdAt: true,
      task: { select: { id: true, key: true, title: true } },
      spec: { select: { id: true, title: true } },
      runner: { select: { id: true, name: true } },
      verifications: runVerifications,
      usage: {
        orderBy: { createdAt: "asc" },
        select: {
          role: true,
          model: true,
          inputTokens: true,
          outputTokens: true,
          costUsd: true,
          createdAt: true,
        },
      },
      guardian: {
        orderBy: { createdAt: "asc" },
        select: { id: true, action: true, reason: true, createdAt: true },
      },
      traceEvents: {
        orderBy: { seq: "asc" },
        select: {
          seq: true,
          kind: true,
          name: true,
          data: true,
          startedAt: true,
          durationMs: true,
        },
      },
    },
  });
  if (!run) throw notFound("Run");
  const logs =
    options.logs === false
      ? []
      : await db.runLog.findMany({
          where: { runId: run.id, orgId: actor.orgId },
          orderBy: { seq: "asc" },
          select: { seq: true, stream: true, text: true, createdAt: true },
        });
  const { traceEvents, usage, guardian, verifications, ...meta } = run;
  return {
    run: {
      ...meta,
      costUsd: Number(meta.costUsd),
      durationMs:
        meta.startedAt && meta.finishedAt
          ? meta.finishedAt.getTime() - meta.startedAt.getTime()
          : null,
      models: [...new Set(usage.map((u) => u.model))],
    },
    events: traceEvents.map((event) => ({
      ...event,
      data: (event.data ?? {}) as Record<string, unknown>,
    })),
    usage: usage.map((u) => ({ ...u, costUsd: Number(u.costUsd) })),
    verifications,
    interventions: guardian,
    logs,
    diff: run.diff ?? "",
  };
}

export type RunTrace = Awaited<ReturnType<typeof getRunTrace>>;
export type RunTraceEventView = RunTrace["events"][number];
