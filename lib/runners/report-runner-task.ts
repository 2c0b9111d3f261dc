import "server-only";
import { z } from "zod";
import { capForTrace, traceEventKinds } from "@/lib/agents/backends/agent-trace";
import { costUsd } from "@/lib/agents/models";
import { notFound } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { recordRunUsage } from "@/lib/execution/record-run-usage";
import { traceEventRow } from "@/lib/execution/trace-event-row";
import { recordIntervention } from "@/lib/guardian/record-intervention";
import { finishSpecExecution } from "@/lib/specs/finish-spec-execution";
import { completeTask, failTask, markNeedsAttention } from "@/lib/tasks/finish-task";
import { heartbeatTask } from "@/lib/tasks/heartbeat-task";
import { setTaskVerifying } from "@/lib/tasks/set-task-verifying";
import type { AuthenticatedRunner } from "./authenticate-runner";
import { runnerWorkerId } from "./runner-token";

const lease = { attempt: z.number().int().positive(), runId: z.string().min(1) };
const logLine = z.object({
  seq: z.number().int().min(0),
  stream: z.enum(["AGENT", "STDOUT", "STDERR", "SYSTEM"]),
  text: z.string().max(8_000),
});

/** One trace event as a runner ships it (content already redacted on the runner). */
const traceEvent = z.object({
  seq: z.number().int().min(0),
  kind: z.enum(traceEventKinds),
  name: z.string().min(1).max(200),
  startedAt: z.coerce.date(),
  durationMs: z.number().int().min(0),
  data: z
    .record(z.string(), z.unknown())
    .refine((data) => JSON.stringify(data).length <= 64 * 1024, "at most 64 KiB of data"),
});

/** What a runner reports about a task it holds, by event name (the URL's last segment). */
export const runnerTaskEventSchemas = {
  heartbeat: z.object({
    ...lease,
    leaseMs: z
      .number()
      .int()
      .min(3_000)
      .max(10 * 60_000),
  }),
  logs: z.object({ ...lease, lines: z.array(logLine).min(1).max(500) }),
  trace: z.object({ ...lease, events: z.array(traceEvent).min(1).max(200) }),
  verifying: z.object(lease),
  verification: z.object({
    ...lease,
    kind: z.enum(["setup", "test", "lint"]),
    command: z.string().max(2_000),
    exitCode: z.number().int().nullable(),
    passed: z.boolean(),
    output: z.string().max(1024 * 1024),
    durationMs: z.number().int().min(0),
  }),
  usage: z.object({
    ...lease,
    model: z.string().min(1).max(100),
    inputTokens: z.number().int().min(0),
    outputTokens: z.number().int().min(0),
  }),
  intervention: z.object({
    ...lease,
    action: z.enum(["NUDGE", "RESTART", "ESCALATE"]),
    reason: z.string().min(1).max(2_000),
  }),
  finish: z.discriminatedUnion("outcome", [
    z.object({
      ...lease,
      outcome: z.literal("done"),
      summary: z.string().max(20_000),
      commitSha: z
        .string()
        .regex(/^[0-9a-f]{40}$/)
        .nullable(),
      /** Files changed, for the task page: the source itself never leaves the runner. */
      diffStat: z.string().max(100_000),
    }),
    z.object({
      ...lease,
      outcome: z.enum(["failed", "needs_attention", "timed_out"]),
      error: z.string().min(1).max(20_000),
    }),
  ]),
} as const;

export type RunnerTaskEvent = keyof typeof runnerTaskEventSchemas;

export function isRunnerTaskEvent(name: string): name is RunnerTaskEvent {
  return Object.hasOwn(runnerTaskEventSchemas, name);
}

/**
 * Records one report from a runner about a task it holds. The task must be of the runner's
 * organization (else NOT_FOUND) and the run this claim's; lease checks are the same as the
 * built-in runner's (a runner that lost the lease gets `held: false` or a CONFLICT).
 */
export async function reportRunnerTask(
  db: Db,
  options: { runner: AuthenticatedRunner; taskId: string; event: RunnerTaskEvent; body: unknown },
): Promise<Record<string, unknown>> {
  const { runner, taskId, event } = options;
  const task = await db.task.findFirst({
    where: { id: taskId, orgId: runner.orgId },
    select: { id: true, key: true, orgId: true, projectId: true, specId: true },
  });
  if (!task) throw notFound("Task");
  const body = runnerTaskEventSchemas[event].parse(options.body);
  const run = await db.run.findFirst({
    where: { id: body.runId, taskId: task.id, runnerId: runner.id },
    select: { id: true, inputTokens: true, outputTokens: true, costUsd: true },
  });
  if (!run) throw notFound("Run");
  const held = { taskId: task.id, workerId: runnerWorkerId(runner.id), attempt: body.attempt };

  switch (event) {
    case "heartbeat": {
      const { leaseMs } = runnerTaskEventSchemas.heartbeat.parse(body);
      const ok = await heartbeatTask(db, { ...held, leaseMs });
      if (ok) await db.run.update({ where: { id: run.id }, data: { heartbeatAt: new Date() } });
      return { held: ok };
    }
    case "logs": {
      const { lines } = runnerTaskEventSchemas.logs.parse(body);
      // Sequence numbers make a retried batch harmless.
      const written = await db.runLog.createMany({
        data: lines.map((l) => ({ orgId: task.orgId, runId: run.id, ...l })),
        skipDuplicates: true,
      });
      return { written: written.count };
    }
    case "trace": {
      const { events } = runnerTaskEventSchemas.trace.parse(body);
      const written = await db.runTraceEvent.createMany({
        data: events.map(({ seq, ...event }) =>
          traceEventRow(task.orgId, run.id, seq, {
            ...event,
            data: capForTrace(event.data) as Record<string, unknown>,
          }),
        ),
        skipDuplicates: true,
      });
      return { written: written.count };
    }
    case "verifying":
      await setTaskVerifying(db, held);
      return {};
    case "verification": {
      const { attempt: _a, runId: _r, ...step } = runnerTaskEventSchemas.verification.parse(body);
      await db.verification.create({ data: { orgId: task.orgId, runId: run.id, ...step } });
      return {};
    }
    case "usage": {
      const u = runnerTaskEventSchemas.usage.parse(body);
      // Priced here, from the model table, not taken from the runner.
      const cost = costUsd(u.model, u.inputTokens, u.outputTokens);
      const budget = await recordRunUsage(db, {
        task,
        runId: run.id,
        usage: {
          model: u.model,
          inputTokens: u.inputTokens,
          outputTokens: u.outputTokens,
          costUsd: cost,
        },
      });
      return { paused: budget.paused || budget.exceeded, budgetUsd: budget.remainingUsd };
    }
    case "intervention": {
      const v = runnerTaskEventSchemas.intervention.parse(body);
      await db.$transaction((tx) =>
        recordIntervention(tx, {
          orgId: task.orgId,
          action: v.action,
          reason: v.reason,
          projectId: task.projectId,
          specId: task.specId,
          taskId: task.id,
          taskKey: task.key,
          runId: run.id,
        }),
      );
      return {};
    }
    case "finish": {
      const f = runnerTaskEventSchemas.finish.parse(body);
      const usage = {
        inputTokens: run.inputTokens,
        outputTokens: run.outputTokens,
        costUsd: run.costUsd,
        actorKind: "RUNNER" as const,
      };
      if (f.outcome === "done") {
        await db.run.update({
          where: { id: run.id },
          data: {
            status: "SUCCEEDED",
            commitSha: f.commitSha,
            summary: f.summary,
            diff: f.diffStat,
            finishedAt: new Date(),
          },
        });
        await completeTask(db, { ...held, ...usage });
        await finishSpecExecution(db, { orgId: task.orgId, specId: task.specId });
        return { status: "DONE" };
      }
      await db.run.update({
        where: { id: run.id },
        data: {
          status: f.outcome === "timed_out" ? "TIMED_OUT" : "FAILED",
          errorMessage: f.error,
          errorKind: "PERMANENT",
          finishedAt: new Date(),
        },
      });
      if (f.outcome === "needs_attention") {
        await markNeedsAttention(db, { ...held, ...usage, reason: f.error });
        return { status: "NEEDS_ATTENTION" };
      }
      await failTask(db, { ...held, ...usage, error: f.error, retryable: false });
      return { status: "FAILED" };
    }
  }
}
