// GET /api/metrics over real HTTP against a seeded database: who may scrape, and that what
// Prometheus reads is valid text format carrying the operators' figures across organizations.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/metrics/route";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { createTaskScope, createTasks } from "@/lib/tasks/testing/task-fixtures";
import { type RouteServer, startRouteServer } from "@/lib/testing/route-server";
import { type ParsedExposition, parseExposition } from "./testing/parse-exposition";

const TOKEN = "metrics-token-for-the-test-0123456789";
const MODEL = 'claude-sonnet "4.5"\\eu';

let database: TestDatabase;
let server: RouteServer;
const saved = { ...process.env };

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

const scrape = (authorization?: string) =>
  fetch(`${server.url}/api/metrics`, {
    headers: authorization ? { authorization } : {},
  });

async function seed(db: TestDatabase["db"]) {
  const team = await createTaskScope(db, { plan: "TEAM", name: "Acme" });
  const free = await createTaskScope(db, { plan: "FREE", name: "Globex" });

  // QUEUED: two claimable and one backing off in Acme, one claimable again (backoff over) in Globex.
  const [longestWaiting] = await createTasks(db, team, 2);
  await createTasks(db, team, 1, { notBefore: new Date(Date.now() + 60 * 60_000) });
  await createTasks(db, free, 1, { notBefore: minutesAgo(5) });
  await db.$executeRaw`UPDATE "Task" SET "updatedAt" = ${minutesAgo(10)} WHERE id = ${longestWaiting}`;
  // RUNNING: one whose worker vanished (lease expired), one healthy. One DONE.
  await createTasks(db, team, 1, {
    status: "RUNNING",
    leaseOwner: "w1",
    leaseExpiresAt: minutesAgo(2),
  });
  await createTasks(db, free, 1, {
    status: "RUNNING",
    leaseOwner: "w2",
    leaseExpiresAt: new Date(Date.now() + 60_000),
  });
  await createTasks(db, team, 1, { status: "DONE" });

  const run = (
    orgId: string,
    status: "RUNNING" | "SUCCEEDED" | "FAILED",
    start: number,
    end?: number,
  ) => ({
    orgId,
    status,
    startedAt: minutesAgo(start),
    finishedAt: end === undefined ? null : minutesAgo(end),
  });
  await db.run.createMany({
    data: [
      run(team.orgId, "SUCCEEDED", 30, 29), // 60 s, in the last hour
      run(team.orgId, "SUCCEEDED", 180, 120), // 3600 s, two hours ago
      {
        ...run(free.orgId, "FAILED", 10, 10),
        finishedAt: new Date(minutesAgo(10).getTime() + 5_000),
      }, // 5 s
      run(free.orgId, "RUNNING", 1),
    ],
  });

  await db.usageRecord.createMany({
    data: [
      {
        orgId: team.orgId,
        role: "coder",
        model: MODEL,
        inputTokens: 100,
        outputTokens: 50,
        costUsd: 0.25,
      },
      {
        orgId: free.orgId,
        role: "coder",
        model: MODEL,
        inputTokens: 200,
        outputTokens: 20,
        costUsd: 0.5,
      },
      { orgId: free.orgId, role: "planner", model: "offline", inputTokens: 7, outputTokens: 3 },
    ],
  });

  const runner = (name: string, lastHeartbeatAt: Date, revokedAt: Date | null = null) => ({
    orgId: team.orgId,
    name,
    tokenPrefix: name,
    tokenHash: `hash-${name}`,
    lastHeartbeatAt,
    revokedAt,
  });
  await db.runner.createMany({
    data: [
      runner("fresh", new Date(Date.now() - 10_000)),
      runner("silent", minutesAgo(10)),
      runner("revoked", new Date(Date.now() - 10_000), minutesAgo(1)),
    ],
  });

  await db.activityEvent.createMany({
    data: [
      { orgId: team.orgId, type: "ticket.created", actorKind: "USER" },
      { orgId: free.orgId, type: "ticket.created", actorKind: "USER" },
      { orgId: free.orgId, type: "task.requeued", actorKind: "SYSTEM" },
    ],
  });
  await db.webhookDelivery.createMany({
    data: [
      { provider: "GITHUB", deliveryId: "d1", event: "issues" },
      { provider: "GITHUB", deliveryId: "d2", event: "issue_comment" },
      { provider: "STRIPE", deliveryId: "evt_1", event: "invoice.paid" },
    ],
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.METRICS_TOKEN = TOKEN;
  resetEnvForTests();
  await seed(database.db);
  server = await startRouteServer([{ path: "/api/metrics", handlers: metricsRoute }]);
});

afterEach(() => {
  Object.assign(process.env, { METRICS_TOKEN: TOKEN, NODE_ENV: saved.NODE_ENV });
  resetEnvForTests();
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
  process.env = saved;
  resetEnvForTests();
});

describe("who may scrape GET /api/metrics", () => {
  it("refuses a scrape without the token, or with another one, as 401 with a Bearer challenge", async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, "Bearer "]) {
      const response = await scrape(authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect((await response.json()).error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("answers 404 when no token is configured, but serves anyone under npm run dev", async () => {
    delete process.env.METRICS_TOKEN;
    resetEnvForTests();
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);

    // Next.js types NODE_ENV read-only; the environment is read through lib/env.ts only.
    Object.assign(process.env, { NODE_ENV: "development" });
    resetEnvForTests();
    const open = await scrape();
    expect(open.status).toBe(200);
    expect(parseExposition(await open.text()).value("trellis_up")).toBe(1);
  });
});

describe("what a scrape with the token reads", () => {
  let metrics: ParsedExposition;

  beforeAll(async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    // Every line is a valid HELP, TYPE or sample, and histograms are cumulative up to +Inf.
    metrics = parseExposition(await response.text());
  });

  it("says it is up, with every Trellis family typed", () => {
    expect(metrics.value("trellis_up")).toBe(1);
    for (const [name, type] of metrics.types) {
      if (name.startsWith("trellis_") && name.endsWith("_total"))
        expect(type, name).toBe("counter");
    }
  });

  it("counts tasks by status and the queue across organizations", () => {
    expect(metrics.value("trellis_tasks", { status: "QUEUED" })).toBe(4);
    expect(metrics.value("trellis_tasks", { status: "RUNNING" })).toBe(2);
    expect(metrics.value("trellis_tasks", { status: "DONE" })).toBe(1);
    expect(metrics.value("trellis_tasks", { status: "PENDING" })).toBe(0);
    expect(metrics.value("trellis_queue_depth")).toBe(3);
    expect(metrics.value("trellis_queue_backing_off")).toBe(1);
    expect(metrics.value("trellis_tasks_lease_expired")).toBe(1);
    // The task left waiting ten minutes ago is the oldest claimable one.
    const oldest = metrics.value("trellis_queue_oldest_age_seconds");
    expect(oldest).toBeGreaterThanOrEqual(600);
    expect(oldest).toBeLessThan(3600);
  });

  it("counts specs and organizations by small enums only", () => {
    expect(metrics.value("trellis_specs", { state: "EXECUTING" })).toBe(2);
    expect(metrics.value("trellis_specs", { state: "DONE" })).toBe(0);
    expect(metrics.value("trellis_organizations", { plan: "TEAM" })).toBe(1);
    expect(metrics.value("trellis_organizations", { plan: "FREE" })).toBe(1);
    const labelNames = new Set(
      metrics.samples
        .filter((s) => s.name.startsWith("trellis_"))
        .flatMap((s) => Object.keys(s.labels)),
    );
    expect([...labelNames].sort()).toEqual(
      ["actor_kind", "direction", "model", "plan", "provider", "state", "status"].sort(),
    );
  });

  it("counts runs started, by status, finished in the last hour, and their durations", () => {
    expect(metrics.value("trellis_runs_started_total")).toBe(4);
    expect(metrics.value("trellis_runs", { status: "SUCCEEDED" })).toBe(2);
    expect(metrics.value("trellis_runs", { status: "RUNNING" })).toBe(1);
    expect(metrics.value("trellis_runs_finished_last_hour", { status: "SUCCEEDED" })).toBe(1);
    expect(metrics.value("trellis_runs_finished_last_hour", { status: "FAILED" })).toBe(1);
    expect(metrics.value("trellis_runs_finished_last_hour", { status: "TIMED_OUT" })).toBe(0);

    expect(metrics.value("trellis_runs_finished_total", { status: "SUCCEEDED" })).toBe(2);
    expect(metrics.value("trellis_runs_finished_total", { status: "FAILED" })).toBe(1);
    expect(metrics.value("trellis_run_duration_seconds_total", { status: "SUCCEEDED" })).toBe(3660);
  });

  it("counts runners that heartbeated in the last 90 seconds", () => {
    expect(metrics.value("trellis_runners_active")).toBe(1);
    expect(metrics.value("trellis_runners_registered")).toBe(2);
  });

  it("sums tokens and cost by model, escaping the model's name", () => {
    expect(metrics.value("trellis_model_tokens_total", { model: MODEL, direction: "input" })).toBe(
      300,
    );
    expect(metrics.value("trellis_model_tokens_total", { model: MODEL, direction: "output" })).toBe(
      70,
    );
    expect(metrics.value("trellis_model_cost_usd_total", { model: MODEL })).toBeCloseTo(0.75);
    expect(metrics.value("trellis_model_calls_total", { model: MODEL })).toBe(2);
    expect(metrics.value("trellis_model_calls_total", { model: "offline" })).toBe(1);
  });

  it("counts activity events and webhook deliveries", () => {
    expect(metrics.value("trellis_activity_events_total", { actor_kind: "USER" })).toBe(2);
    expect(metrics.value("trellis_activity_events_total", { actor_kind: "SYSTEM" })).toBe(1);
    expect(metrics.value("trellis_activity_events_total", { actor_kind: "API" })).toBe(0);
    expect(metrics.value("trellis_webhook_deliveries_total", { provider: "GITHUB" })).toBe(2);
    expect(metrics.value("trellis_webhook_deliveries_total", { provider: "STRIPE" })).toBe(1);
  });

  it("reports the serving process", () => {
    expect(metrics.value("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(metrics.value("process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(metrics.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    const started = metrics.value("process_start_time_seconds");
    expect(started).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    expect(started).toBeGreaterThan(Date.now() / 1000 - 24 * 60 * 60);
  });
});
