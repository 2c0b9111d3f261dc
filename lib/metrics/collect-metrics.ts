import "server-only";
import { Counter, Gauge, Registry } from "prom-client";
import type { Db } from "@/lib/db/client";
import {
  ActorKind,
  CallbackStatus,
  Plan,
  RunStatus,
  SpecState,
  TaskStatus,
  WebhookProvider,
} from "@/lib/generated/prisma/enums";
import { processRegistry } from "./process-metrics";

/** What a scrape answers with: Prometheus text format 0.0.4. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** A runner that heartbeated this recently is active (its client beats every 30 s or so). */
export const RUNNER_ACTIVE_SECONDS = 90;

const FINISHED_RUN_STATUSES = [
  RunStatus.SUCCEEDED,
  RunStatus.FAILED,
  RunStatus.CANCELLED,
  RunStatus.TIMED_OUT,
] as const;

type Counted = { key: string; n: bigint };

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
    db.$queryRaw<{ status: string; n: bigint; lastHour: bigint; seconds: number }[]>`
        SELECT status::text AS status, count(*)::int8 AS n,
          count(*) FILTER (WHERE "finishedAt" >= ${hourAgo})::int8 AS "lastHour",
          coalesce(sum(d), 0)::float8 AS seconds
        FROM (SELECT status, "finishedAt", EXTRACT(EPOCH FROM "finishedAt" - "startedAt")::float8 AS d
              FROM "Run") r
        GROUP BY 1`,
    db.$queryRaw<{ model: string; calls: bigint; input: bigint; output: bigint; cost: number }[]>`
        SELECT model, count(*)::int8 AS calls, sum("inputTokens")::int8 AS input,
          sum("outputTokens")::int8 AS output, sum("costUsd")::float8 AS cost
        FROM "UsageRecord" GROUP BY model ORDER BY model`,
    db.$queryRaw<{ registered: bigint; active: bigint }[]>`
        SELECT count(*)::int8 AS registered,
          count(*) FILTER (WHERE "lastHeartbeatAt" >= ${activeSince})::int8 AS active
        FROM "Runner" WHERE "revokedAt" IS NULL`,
  ]);

  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  // Counters read from the database: a fresh registry per scrape, so `inc` sets the total.
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const perEnum = (
    metric: Gauge | Counter,
    values: Record<string, string>,
    label: string,
    rows: readonly Counted[],
  ) => {
    const counts = new Map(rows.map((row) => [row.key, Number(row.n)]));
    for (const value of Object.values(values)) {
      const n = counts.get(value) ?? 0;
      if (metric instanceof Gauge) metric.set({ [label]: value }, n);
      else metric.inc({ [label]: value }, n);
    }
  };
  const runTotal = (status: string, pick: (row: (typeof runs)[number]) => number) =>
    runs.filter((r) => r.status === status).reduce((n, r) => n + pick(r), 0);

  gauge("trellis_up", "1 while Trellis answers scrapes.").set(1);
  perEnum(
    gauge("trellis_organizations", "Organizations by plan.", ["plan"]),
    Plan,
    "plan",
    organizations,
  );
  perEnum(
    gauge("trellis_tasks", "Tasks by status, across organizations.", ["status"]),
    TaskStatus,
    "status",
    tasks,
  );
  gauge("trellis_queue_depth", "QUEUED tasks claimable now (not backing off after a failure).").set(
    Number(queue?.claimable ?? 0),
  );
  gauge(
    "trellis_queue_backing_off",
    "QUEUED tasks waiting out a retry backoff (notBefore in the future).",
  ).set(Number(queue?.backingOff ?? 0));
  gauge(
    "trellis_queue_oldest_age_seconds",
    "Seconds the longest-waiting claimable task has been claimable (since its last change or its backoff's end); 0 when none.",
  ).set(queue?.oldestSince ? Math.max(0, (now.getTime() - queue.oldestSince.getTime()) / 1000) : 0);
  gauge(
    "trellis_tasks_lease_expired",
    "RUNNING or VERIFYING tasks whose worker's lease has expired (the sweeper requeues them).",
  ).set(Number(queue?.leaseExpired ?? 0));
  perEnum(
    gauge("trellis_specs", "Specs by state, across organizations.", ["state"]),
    SpecState,
    "state",
    specs,
  );
  counter("trellis_runs_started_total", "Runs started (one per task attempt).").inc(
    runs.reduce((n, r) => n + Number(r.n), 0),
  );
  const byStatus = gauge("trellis_runs", "Runs by current status.", ["status"]);
  for (const status of Object.values(RunStatus))
    byStatus.set(
      { status },
      runTotal(status, (r) => Number(r.n)),
    );
  const lastHour = gauge(
    "trellis_runs_finished_last_hour",
    "Runs that finished in the last hour, by how they ended.",
    ["status"],
  );
  // Durations as a running sum beside the count (average = rate of one over the other): the
  // figures come from the database at scrape time, which a bucketed histogram cannot take.
  const finished = counter("trellis_runs_finished_total", "Finished runs, by how they ended.", [
    "status",
  ]);
  const seconds = counter(
    "trellis_run_duration_seconds_total",
    "Wall-clock seconds of finished runs, from start to finish, by how they ended.",
    ["status"],
  );
  for (const status of FINISHED_RUN_STATUSES) {
    lastHour.set(
      { status },
      runTotal(status, (r) => Number(r.lastHour)),
    );
    finished.inc(
      { status },
      runTotal(status, (r) => Number(r.n)),
    );
    seconds.inc(
      { status },
      runTotal(status, (r) => r.seconds),
    );
  }
  gauge("trellis_runners_registered", "Self-hosted runners not revoked.").set(
    Number(runners?.registered ?? 0),
  );
  gauge(
    "trellis_runners_active",
    `Self-hosted runners that heartbeated in the last ${RUNNER_ACTIVE_SECONDS} seconds.`,
  ).set(Number(runners?.active ?? 0));
  const calls = counter("trellis_model_calls_total", "Metered model calls, by model.", ["model"]);
  const tokens = counter(
    "trellis_model_tokens_total",
    "Model tokens, by model and direction (input or output).",
    ["model", "direction"],
  );
  const cost = counter("trellis_model_cost_usd_total", "Model cost in US dollars, by model.", [
    "model",
  ]);
  for (const u of usage) {
    calls.inc({ model: u.model }, Number(u.calls));
    tokens.inc({ model: u.model, direction: "input" }, Number(u.input));
    tokens.inc({ model: u.model, direction: "output" }, Number(u.output));
    cost.inc({ model: u.model }, u.cost);
  }
  perEnum(
    counter(
      "trellis_activity_events_total",
      "Activity and audit events recorded, by kind of actor.",
      ["actor_kind"],
    ),
    ActorKind,
    "actor_kind",
    activity,
  );
  perEnum(
    counter(
      "trellis_webhook_deliveries_total",
      "Incoming webhook deliveries processed (deduplicated), by provider.",
      ["provider"],
    ),
    WebhookProvider,
    "provider",
    webhooks,
  );
  perEnum(
    gauge("trellis_callback_deliveries", "Outgoing ticket callbacks by delivery status.", [
      "status",
    ]),
    CallbackStatus,
    "status",
    callbacks,
  );
  return Registry.merge([registry, processRegistry()]).metrics();
}
