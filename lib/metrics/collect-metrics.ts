import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  ActorKind,
  CallbackStatus,
  Plan,
  RunStatus,
  SpecState,
  TaskStatus,
  WebhookProvider,
} from "@/lib/generated/prisma/enums";
import { type HistogramSeries, type MetricFamily, renderExposition } from "./exposition";
import { processMetrics } from "./process-metrics";

/** A runner that heartbeated this recently is active (its client beats every 30 s or so). */
export const RUNNER_ACTIVE_SECONDS = 90;

/** Upper bounds of the run-duration histogram, in seconds: agent runs take seconds to hours. */
export const RUN_DURATION_BUCKETS = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200] as const;

const FINISHED_RUN_STATUSES = [
  RunStatus.SUCCEEDED,
  RunStatus.FAILED,
  RunStatus.CANCELLED,
  RunStatus.TIMED_OUT,
] as const;

// The bucket a finished run's duration `d` falls in (0-based; one past the last for +Inf only),
// written from the constants above into the statement.
const durationBucket = Prisma.raw(
  `CASE WHEN d IS NULL THEN NULL ${RUN_DURATION_BUCKETS.map(
    (bound, i) => `WHEN d <= ${bound} THEN ${i}`,
  ).join(" ")} ELSE ${RUN_DURATION_BUCKETS.length} END`,
);

type Counted = { key: string; n: bigint };

/** One sample per value of a (small) enum, 0 where the database has none. */
function byEnum(
  values: Record<string, string>,
  label: string,
  rows: readonly Counted[],
): { labels: Record<string, string>; value: number }[] {
  const counts = new Map(rows.map((row) => [row.key, Number(row.n)]));
  return Object.values(values).map((value) => ({
    labels: { [label]: value },
    value: counts.get(value) ?? 0,
  }));
}

const countBy = (db: Db, table: string, column: string, where = "") =>
  db.$queryRawUnsafe<Counted[]>(
    // Table and column names are constants of this module, never input.
    `SELECT "${column}"::text AS key, count(*)::int8 AS n FROM "${table}" ${where} GROUP BY 1`,
  );

/**
 * The Prometheus exposition of every organization's work taken together (labelled only by small
 * enums and model names, never by organization), read from the database now, plus this process.
 */
export async function collectMetrics(db: Db, options: { now?: Date } = {}): Promise<string> {
  const now = options.now ?? new Date();
  const hourAgo = new Date(now.getTime() - 60 * 60 * 1000);
  const activeSince = new Date(now.getTime() - RUNNER_ACTIVE_SECONDS * 1000);

  const [
    tasks,
    specs,
    organizations,
    activity,
    webhooks,
    callbacks,
    [queue],
    runs,
    usage,
    [runners],
  ] = await Promise.all([
    countBy(db, "Task", "status"),
    countBy(db, "Spec", "state"),
    countBy(db, "Organization", "plan"),
    countBy(db, "ActivityEvent", "actorKind"),
    countBy(db, "WebhookDelivery", "provider"),
    countBy(db, "CallbackDelivery", "status"),
    db.$queryRaw<
      { claimable: bigint; backingOff: bigint; oldestSince: Date | null; leaseExpired: bigint }[]
    >`
        SELECT
          count(*) FILTER (WHERE status = 'QUEUED' AND ("notBefore" IS NULL OR "notBefore" <= ${now}))::int8 AS claimable,
          count(*) FILTER (WHERE status = 'QUEUED' AND "notBefore" > ${now})::int8 AS "backingOff",
          min(GREATEST("updatedAt", "notBefore"))
            FILTER (WHERE status = 'QUEUED' AND ("notBefore" IS NULL OR "notBefore" <= ${now})) AS "oldestSince",
          count(*) FILTER (WHERE status IN ('RUNNING', 'VERIFYING') AND "leaseExpiresAt" < ${now})::int8 AS "leaseExpired"
        FROM "Task" WHERE status IN ('QUEUED', 'RUNNING', 'VERIFYING')`,
    db.$queryRaw<
      { status: string; bucket: number | null; n: bigint; lastHour: bigint; seconds: number }[]
    >`
        SELECT status::text AS status, ${durationBucket} AS bucket, count(*)::int8 AS n,
          count(*) FILTER (WHERE "finishedAt" >= ${hourAgo})::int8 AS "lastHour",
          coalesce(sum(d), 0)::float8 AS seconds
        FROM (SELECT status, "finishedAt", EXTRACT(EPOCH FROM "finishedAt" - "startedAt")::float8 AS d
              FROM "Run") r
        GROUP BY 1, 2`,
    db.$queryRaw<{ model: string; calls: bigint; input: bigint; output: bigint; cost: number }[]>`
        SELECT model, count(*)::int8 AS calls, sum("inputTokens")::int8 AS input,
          sum("outputTokens")::int8 AS output, sum("costUsd")::float8 AS cost
        FROM "UsageRecord" GROUP BY model ORDER BY model`,
    db.$queryRaw<{ registered: bigint; active: bigint }[]>`
        SELECT count(*)::int8 AS registered,
          count(*) FILTER (WHERE "lastHeartbeatAt" >= ${activeSince})::int8 AS active
        FROM "Runner" WHERE "revokedAt" IS NULL`,
  ]);

  const runsByStatus = (
    pick: (row: (typeof runs)[number]) => bigint,
    statuses: readonly string[],
  ) =>
    statuses.map((status) => ({
      labels: { status },
      value: runs.filter((r) => r.status === status).reduce((n, r) => n + Number(pick(r)), 0),
    }));
  const durations: HistogramSeries[] = FINISHED_RUN_STATUSES.map((status) => {
    const rows = runs.filter((r) => r.status === status && r.bucket !== null);
    return {
      labels: { status },
      bucketCounts: RUN_DURATION_BUCKETS.map((_, i) =>
        rows.filter((r) => r.bucket === i).reduce((n, r) => n + Number(r.n), 0),
      ),
      count: rows.reduce((n, r) => n + Number(r.n), 0),
      sum: rows.reduce((s, r) => s + r.seconds, 0),
    };
  });
  const oldestQueuedSeconds = queue?.oldestSince
    ? Math.max(0, (now.getTime() - queue.oldestSince.getTime()) / 1000)
    : 0;

  const families: MetricFamily[] = [
    {
      name: "trellis_up",
      help: "1 while Trellis answers scrapes.",
      type: "gauge",
      samples: [{ value: 1 }],
    },
    {
      name: "trellis_organizations",
      help: "Organizations by plan.",
      type: "gauge",
      samples: byEnum(Plan, "plan", organizations),
    },
    {
      name: "trellis_tasks",
      help: "Tasks by status, across organizations.",
      type: "gauge",
      samples: byEnum(TaskStatus, "status", tasks),
    },
    {
      name: "trellis_queue_depth",
      help: "QUEUED tasks claimable now (not backing off after a failure).",
      type: "gauge",
      samples: [{ value: Number(queue?.claimable ?? 0) }],
    },
    {
      name: "trellis_queue_backing_off",
      help: "QUEUED tasks waiting out a retry backoff (notBefore in the future).",
      type: "gauge",
      samples: [{ value: Number(queue?.backingOff ?? 0) }],
    },
    {
      name: "trellis_queue_oldest_age_seconds",
      help: "Seconds the longest-waiting claimable task has been claimable (since its last change or its backoff's end); 0 when none.",
      type: "gauge",
      samples: [{ value: oldestQueuedSeconds }],
    },
    {
      name: "trellis_tasks_lease_expired",
      help: "RUNNING or VERIFYING tasks whose worker's lease has expired (the sweeper requeues them).",
      type: "gauge",
      samples: [{ value: Number(queue?.leaseExpired ?? 0) }],
    },
    {
      name: "trellis_specs",
      help: "Specs by state, across organizations.",
      type: "gauge",
      samples: byEnum(SpecState, "state", specs),
    },
    {
      name: "trellis_runs_started_total",
      help: "Runs started (one per task attempt).",
      type: "counter",
      samples: [{ value: runs.reduce((n, r) => n + Number(r.n), 0) }],
    },
    {
      name: "trellis_runs",
      help: "Runs by current status.",
      type: "gauge",
      samples: runsByStatus((r) => r.n, Object.values(RunStatus)),
    },
    {
      name: "trellis_runs_finished_last_hour",
      help: "Runs that finished in the last hour, by how they ended.",
      type: "gauge",
      samples: runsByStatus((r) => r.lastHour, FINISHED_RUN_STATUSES),
    },
    {
      name: "trellis_run_duration_seconds",
      help: "Wall-clock time of finished runs, from start to finish, by how they ended.",
      type: "histogram",
      buckets: RUN_DURATION_BUCKETS,
      series: durations,
    },
    {
      name: "trellis_runners_registered",
      help: "Self-hosted runners not revoked.",
      type: "gauge",
      samples: [{ value: Number(runners?.registered ?? 0) }],
    },
    {
      name: "trellis_runners_active",
      help: `Self-hosted runners that heartbeated in the last ${RUNNER_ACTIVE_SECONDS} seconds.`,
      type: "gauge",
      samples: [{ value: Number(runners?.active ?? 0) }],
    },
    {
      name: "trellis_model_calls_total",
      help: "Metered model calls, by model.",
      type: "counter",
      samples: usage.map((u) => ({ labels: { model: u.model }, value: Number(u.calls) })),
    },
    {
      name: "trellis_model_tokens_total",
      help: "Model tokens, by model and direction (input or output).",
      type: "counter",
      samples: usage.flatMap((u) => [
        { labels: { model: u.model, direction: "input" }, value: Number(u.input) },
        { labels: { model: u.model, direction: "output" }, value: Number(u.output) },
      ]),
    },
    {
      name: "trellis_model_cost_usd_total",
      help: "Model cost in US dollars, by model.",
      type: "counter",
      samples: usage.map((u) => ({ labels: { model: u.model }, value: u.cost })),
    },
    {
      name: "trellis_activity_events_total",
      help: "Activity and audit events recorded, by kind of actor.",
      type: "counter",
      samples: byEnum(ActorKind, "actor_kind", activity),
    },
    {
      name: "trellis_webhook_deliveries_total",
      help: "Incoming webhook deliveries processed (deduplicated), by provider.",
      type: "counter",
      samples: byEnum(WebhookProvider, "provider", webhooks),
    },
    {
      name: "trellis_callback_deliveries",
      help: "Outgoing ticket callbacks by delivery status.",
      type: "gauge",
      samples: byEnum(CallbackStatus, "status", callbacks),
    },
    ...processMetrics(),
  ];
  return renderExposition(families);
}
