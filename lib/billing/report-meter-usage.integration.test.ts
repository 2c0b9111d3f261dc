import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import type { Plan } from "@/lib/generated/prisma/enums";
import {
  FAKE_METER_EVENT,
  FAKE_STRIPE_KEY,
  type FakeStripe,
  startFakeStripe,
} from "@/lib/testing/fake-stripe";
import { reportMeterUsage } from "./report-meter-usage";
import { startMeterReporter } from "./start-meter-reporter";

let database: TestDatabase;
let fake: FakeStripe;
let stripe: Stripe;
const db = () => database.db;
const savedEnv = { ...process.env };

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = new Stripe(FAKE_STRIPE_KEY, {
    host: fake.host,
    port: fake.port,
    protocol: fake.protocol,
    maxNetworkRetries: 2,
  });
  database = await createTestDatabase();
});
afterAll(async () => {
  process.env = savedEnv;
  resetEnvForTests();
  await database?.drop();
  await fake?.close();
});

let counter = 0;
/** An organization on `plan`, with a Stripe customer in the fake when it pays. */
async function org(plan: Plan) {
  const customer = plan === "FREE" ? null : (await stripe.customers.create({ name: plan })).id;
  return db().organization.create({
    data: {
      name: plan,
      slug: `meter-${counter++}-${Date.now()}`,
      plan,
      stripeCustomerId: customer,
    },
  });
}

async function usage(orgId: string, tokens: [number, number][]) {
  const rows = await db().usageRecord.createManyAndReturn({
    data: tokens.map(([inputTokens, outputTokens], i) => ({
      orgId,
      role: "coder",
      model: "claude-sonnet-4-6",
      inputTokens,
      outputTokens,
      createdAt: new Date(Date.now() - 60_000 + i),
    })),
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

const reportedFor = (ids: string[]) =>
  fake.meterEvents.filter((event) => ids.includes(event.identifier));

describe("metered usage", () => {
  it("reports each paying organization's token usage once, with the record's id, and marks it", async () => {
    const pro = await org("PRO");
    const team = await org("TEAM");
    const free = await org("FREE");
    const proIds = await usage(pro.id, [
      [1200, 300],
      [50, 25],
    ]);
    const [idle] = await usage(pro.id, [[0, 0]]);
    const teamIds = await usage(team.id, [[4000, 1000]]);
    const freeIds = await usage(free.id, [[999, 1]]);

    const first = await reportMeterUsage(db(), { stripe, eventName: FAKE_METER_EVENT });
    expect(first).toEqual({ reported: 4, failed: 0 });
    const events = reportedFor([...proIds, ...teamIds, ...freeIds, idle!]);
    expect(events.map((e) => [e.identifier, e.event_name, e.payload])).toEqual([
      [proIds[0], FAKE_METER_EVENT, { stripe_customer_id: pro.stripeCustomerId, value: "1500" }],
      [proIds[1], FAKE_METER_EVENT, { stripe_customer_id: pro.stripeCustomerId, value: "75" }],
      [teamIds[0], FAKE_METER_EVENT, { stripe_customer_id: team.stripeCustomerId, value: "5000" }],
    ]);
    const rows = await db().usageRecord.findMany({
      where: { id: { in: [...proIds, ...teamIds, ...freeIds, idle!] } },
      select: { id: true, reportedAt: true, createdAt: true },
    });
    const reportedAt = new Map(rows.map((row) => [row.id, row.reportedAt]));
    for (const id of [...proIds, ...teamIds, idle!])
      expect(reportedAt.get(id)).toBeInstanceOf(Date);
    // Free organizations are not billed for usage; their records stay unreported.
    expect(reportedAt.get(freeIds[0]!)).toBeNull();
    // The event carries the usage's own time, not the report's.
    const created = new Map(rows.map((row) => [row.id, row.createdAt]));
    expect(events[0]!.timestamp).toBe(Math.floor(created.get(proIds[0]!)!.getTime() / 1000));

    expect(await reportMeterUsage(db(), { stripe, eventName: FAKE_METER_EVENT })).toEqual({
      reported: 0,
      failed: 0,
    });
    expect(reportedFor([...proIds, ...teamIds])).toHaveLength(3);
  });

  it("reports each record once when several workers report at the same time", async () => {
    const pro = await org("PRO");
    const ids = await usage(
      pro.id,
      Array.from({ length: 30 }, (_, i) => [100 + i, 1] as [number, number]),
    );
    const rounds = await Promise.all(
      Array.from({ length: 4 }, () =>
        reportMeterUsage(db(), { stripe, eventName: FAKE_METER_EVENT, batchSize: 10 }),
      ),
    );
    // Whatever a busy round skipped, the next one takes.
    let more = true;
    while (more) {
      more = (await reportMeterUsage(db(), { stripe, eventName: FAKE_METER_EVENT })).reported > 0;
    }
    expect(rounds.reduce((sum, r) => sum + r.reported, 0)).toBeGreaterThan(0);
    const events = reportedFor(ids);
    expect(events.map((e) => e.identifier).sort()).toEqual([...ids].sort());
    expect(await db().usageRecord.count({ where: { id: { in: ids }, reportedAt: null } })).toBe(0);
  });

  it("does not count an event twice when Stripe's answer is lost and the call is retried", async () => {
    const pro = await org("PRO");
    const ids = await usage(pro.id, [
      [10, 10],
      [20, 20],
    ]);
    // Stripe records both events but neither answer arrives; the SDK retries with the same key.
    fake.loseResponses(2);
    expect(await reportMeterUsage(db(), { stripe, eventName: FAKE_METER_EVENT })).toEqual({
      reported: 2,
      failed: 0,
    });
    const requests = fake.requests.filter(
      (r) =>
        r.path === "/v1/billing/meter_events" && ids.includes(String(r.params.identifier ?? "")),
    );
    expect(requests.length).toBe(4);
    expect(requests.map((r) => r.headers["idempotency-key"])).toEqual([
      `trellis-meter-${ids[0]}`,
      `trellis-meter-${ids[0]}`,
      `trellis-meter-${ids[1]}`,
      `trellis-meter-${ids[1]}`,
    ]);
    expect(reportedFor(ids).map((e) => e.payload.value)).toEqual(["20", "40"]);
  });

  it("runs in the worker as a loop that the environment switches on", async () => {
    const pro = await org("PRO");
    const ids = await usage(pro.id, [[7, 8]]);
    Object.assign(process.env, fake.env);
    resetEnvForTests();
    const reporter = startMeterReporter(db(), { intervalMs: 50 });
    try {
      for (let i = 0; i < 100 && reportedFor(ids).length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await reporter.stop();
    }
    expect(reportedFor(ids).map((e) => e.payload.value)).toEqual(["15"]);
    expect(
      (await db().usageRecord.findUniqueOrThrow({ where: { id: ids[0]! } })).reportedAt,
    ).not.toBeNull();
  });
});
