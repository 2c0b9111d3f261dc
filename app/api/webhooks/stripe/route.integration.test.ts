import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import { createCheckoutSession } from "@/lib/billing/create-checkout-session";
import { createPortalSession } from "@/lib/billing/create-portal-session";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import { recordingEngine } from "@/lib/specs/testing/pipeline-fixtures";
import { claimTasks } from "@/lib/tasks/claim-tasks";
import { createTaskScope, createTasks } from "@/lib/tasks/testing/task-fixtures";
import {
  FAKE_PRICE_PRO,
  FAKE_PRICE_TEAM,
  type FakeEvent,
  type FakeStripe,
  startFakeStripe,
} from "@/lib/testing/fake-stripe";
import { addMember, createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { POST } from "./route";

let database: TestDatabase;
let fake: FakeStripe;
const db = () => database.db;
const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };
const savedEnv = { ...process.env };

beforeAll(async () => {
  fake = await startFakeStripe();
  Object.assign(process.env, fake.env);
  resetEnvForTests();
  database = await createTestDatabase();
  globalForDb.trellisDb = database.db;
});
afterAll(async () => {
  setJobEngine(undefined);
  globalForDb.trellisDb = undefined;
  process.env = savedEnv;
  resetEnvForTests();
  await database?.drop();
  await fake?.close();
});
beforeEach(() => {
  setJobEngine(recordingEngine());
});

/** POSTs an event to the route as Stripe would, signed `ageSeconds` ago. */
async function post(event: FakeEvent, options: { ageSeconds?: number; secret?: string } = {}) {
  const timestamp = Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0);
  const { payload, signature } = fake.sign(event, { timestamp, secret: options.secret });
  const response = await POST(
    new Request("http://localhost/api/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function billingOf(orgId: string) {
  return db().organization.findUniqueOrThrow({
    where: { id: orgId },
    select: {
      plan: true,
      subscriptionStatus: true,
      stripeCustomerId: true,
      stripeSubscriptionId: true,
      currentPeriodEnd: true,
    },
  });
}

/** A signed-up organization that went through Checkout for `plan`: the session, and Stripe's events. */
async function subscribed(plan: "PRO" | "TEAM" = "PRO") {
  const owner = await createUserWithOrg(db(), "Ada");
  const { url } = await createCheckoutSession(db(), { actor: owner.actor, input: { plan } });
  const sessionId = url.split("/").at(-1)!;
  const events = fake.completeCheckout(sessionId);
  const byType = (type: string) => events.find((e) => e.type === type)!;
  const subscriptionId = String(byType("customer.subscription.created").data.object.id);
  return { owner, sessionId, subscriptionId, byType };
}

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return { code: "OK" };
  } catch (error) {
    if (error instanceof AppError)
      return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
}

describe("Stripe Checkout and the webhook", () => {
  it("creates a subscription Checkout session for the organization's own customer, then the webhook puts it on Pro", async () => {
    const owner = await createUserWithOrg(db(), "Ada");
    const { url } = await createCheckoutSession(db(), {
      actor: owner.actor,
      input: { plan: "PRO" },
    });
    expect(url.startsWith(`${fake.url}/c/pay/cs_test_`)).toBe(true);
    const session = fake.checkoutSessions.get(url.split("/").at(-1)!)!;
    const org = await billingOf(owner.org.id);
    expect(org.stripeCustomerId).toMatch(/^cus_/);
    expect(session).toMatchObject({
      mode: "subscription",
      customer: org.stripeCustomerId,
      client_reference_id: owner.org.id,
      success_url: `http://localhost:3000/${owner.org.slug}/settings/billing?checkout=success`,
      cancel_url: `http://localhost:3000/${owner.org.slug}/settings/billing?checkout=cancelled`,
    });
    expect(session.line_items).toEqual([{ price: FAKE_PRICE_PRO, quantity: 1 }]);
    // The SDK talked to the fake with the secret key, form-encoded.
    const created = fake.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(created.headers.authorization).toBe(`Bearer ${fake.secretKey}`);
    expect(created.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    // Still Free until Stripe says the subscription exists.
    expect(org.plan).toBe("FREE");

    // A second attempt (the first abandoned) reuses the customer.
    await createCheckoutSession(db(), { actor: owner.actor, input: { plan: "PRO" } });
    const customers = [...fake.customers.values()].filter((c) => {
      const metadata = c.metadata as Record<string, string>;
      return metadata.orgId === owner.org.id;
    });
    expect(customers).toHaveLength(1);

    const events = fake.completeCheckout(session.id);
    const completed = events.find((e) => e.type === "checkout.session.completed")!;
    expect(await post(completed)).toEqual({
      status: 200,
      body: { received: true, outcome: "applied" },
    });
    const subscription = fake.subscriptions.get(String(session.subscription))!;
    const item = (subscription.items as { data: { current_period_end: number }[] }).data[0]!;
    expect(await billingOf(owner.org.id)).toEqual({
      plan: "PRO",
      subscriptionStatus: "ACTIVE",
      stripeCustomerId: org.stripeCustomerId,
      stripeSubscriptionId: subscription.id,
      currentPeriodEnd: new Date(item.current_period_end * 1000),
    });
    expect(
      await db().webhookDelivery.count({ where: { provider: "STRIPE", deliveryId: completed.id } }),
    ).toBe(1);
    const activity = await db().activityEvent.findFirstOrThrow({
      where: { orgId: owner.org.id, type: "org.billing_changed" },
    });
    expect(activity.data).toEqual({
      plan: { from: "FREE", to: "PRO" },
      status: { from: "NONE", to: "ACTIVE" },
    });
    // Subscribed: a second Checkout would bill twice, so plan changes go through the portal.
    expect(
      (await codeOf(createCheckoutSession(db(), { actor: owner.actor, input: { plan: "TEAM" } })))
        .code,
    ).toBe("CONFLICT");
    const portal = await createPortalSession(db(), { actor: owner.actor });
    expect(portal.url.startsWith(`${fake.url}/p/session/bps_`)).toBe(true);
  });

  it("lets only owners and admins start Checkout or open the portal", async () => {
    const owner = await createUserWithOrg(db(), "Ada");
    const member = await addMember(db(), owner.org.id, "MEMBER");
    expect(
      (await codeOf(createCheckoutSession(db(), { actor: member.actor, input: { plan: "PRO" } })))
        .code,
    ).toBe("FORBIDDEN");
    expect((await codeOf(createPortalSession(db(), { actor: member.actor }))).code).toBe(
      "FORBIDDEN",
    );
    const admin = await addMember(db(), owner.org.id, "ADMIN");
    const { url } = await createCheckoutSession(db(), {
      actor: admin.actor,
      input: { plan: "TEAM" },
    });
    expect(url.startsWith(fake.url)).toBe(true);
  });

  it("ends in the state the API reports whatever the order: updated before created, duplicates, stale after deleted", async () => {
    const { owner, subscriptionId, byType } = await subscribed("PRO");
    // The customer moves to Team in the portal before any event of the purchase arrived.
    const upgraded = fake.updateSubscription(subscriptionId, { price: FAKE_PRICE_TEAM });

    expect((await post(upgraded)).body.outcome).toBe("applied");
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "TEAM",
      subscriptionStatus: "ACTIVE",
    });
    // The older events arrive now; their snapshots say Pro, the API says Team.
    for (const type of [
      "customer.subscription.created",
      "invoice.paid",
      "checkout.session.completed",
    ]) {
      expect((await post(byType(type))).body.outcome).toBe("applied");
    }
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "TEAM",
      subscriptionStatus: "ACTIVE",
    });

    // Stripe retries: the same event five times at once, and once more later.
    const created = byType("customer.subscription.created");
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => post(created)));
    outcomes.push(await post(created));
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(outcomes.every((o) => o.body.outcome === "duplicate")).toBe(true);
    expect(
      await db().webhookDelivery.count({ where: { provider: "STRIPE", deliveryId: created.id } }),
    ).toBe(1);

    // Cancelled; then an update that was sent before the cancellation arrives late.
    const stale = fake.event("customer.subscription.updated", {
      ...fake.subscriptions.get(subscriptionId)!,
    });
    const deleted = fake.cancelSubscription(subscriptionId);
    expect((await post(deleted)).body.outcome).toBe("applied");
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "FREE",
      subscriptionStatus: "CANCELED",
    });
    expect((stale.data.object as { status: string }).status).toBe("active");
    expect((await post(stale)).body.outcome).toBe("applied");
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "FREE",
      subscriptionStatus: "CANCELED",
      stripeSubscriptionId: subscriptionId,
    });
    // Each event made the handler read the subscription from the API.
    const reads = fake.requests.filter((r) => r.path === `/v1/subscriptions/${subscriptionId}`);
    expect(reads.length).toBe(6);
  });

  it("ignores a finished old subscription once the organization has a new one", async () => {
    const { owner, subscriptionId: first } = await subscribed("PRO");
    const stale = fake.event("customer.subscription.updated", fake.subscriptions.get(first)!);
    const deleted = fake.cancelSubscription(first);
    await post(deleted);
    const { url } = await createCheckoutSession(db(), {
      actor: owner.actor,
      input: { plan: "TEAM" },
    });
    const events = fake.completeCheckout(url.split("/").at(-1)!);
    await post(events.find((e) => e.type === "checkout.session.completed")!);
    const second = (await billingOf(owner.org.id)).stripeSubscriptionId;
    expect(second).not.toBe(first);
    // Late news of the old subscription changes nothing.
    expect((await post(stale)).body.outcome).toBe("ignored");
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "TEAM",
      subscriptionStatus: "ACTIVE",
      stripeSubscriptionId: second,
    });
  });

  it("refuses a signature 301 s old and accepts one 299 s old", async () => {
    const { owner, byType } = await subscribed("PRO");
    const event = byType("checkout.session.completed");
    const old = await post(event, { ageSeconds: 301 });
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ error: { code: "INVALID" } });
    expect(await db().webhookDelivery.count({ where: { deliveryId: event.id } })).toBe(0);
    expect((await billingOf(owner.org.id)).plan).toBe("FREE");

    const recent = await post(event, { ageSeconds: 299 });
    expect(recent).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    expect((await billingOf(owner.org.id)).plan).toBe("PRO");
  });

  it("refuses a wrong secret, a tampered body or no signature with 400, and writes nothing", async () => {
    const { owner, byType } = await subscribed("PRO");
    const event = byType("checkout.session.completed");
    expect((await post(event, { secret: "whsec_someone_else" })).status).toBe(400);

    const { payload, signature } = fake.sign(event);
    const tampered = payload.replace(owner.org.id, "org_someone_else");
    expect(tampered).not.toBe(payload);
    const send = (body: string, headers: Record<string, string>) =>
      POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers, body }));
    expect((await send(tampered, { "stripe-signature": signature })).status).toBe(400);
    expect((await send(payload, {})).status).toBe(400);

    expect(await db().webhookDelivery.count({ where: { deliveryId: event.id } })).toBe(0);
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "FREE",
      subscriptionStatus: "NONE",
    });
  });

  it("acknowledges events it does not handle and changes nothing", async () => {
    const { owner } = await subscribed("PRO");
    const event = fake.event("customer.updated", { id: "cus_x", object: "customer" });
    expect(await post(event)).toEqual({
      status: 200,
      body: { received: true, outcome: "ignored" },
    });
    expect((await billingOf(owner.org.id)).plan).toBe("FREE");
  });

  it("blocks new runs after a failed payment, with the message, until the invoice is paid", async () => {
    const { owner, subscriptionId, byType } = await subscribed("PRO");
    await post(byType("checkout.session.completed"));
    const { ticket } = await createProjectWithTicket(db(), owner.actor);
    // Work already queued for the scheduler, in the same organization.
    const scope = await createTaskScope(db(), { orgId: owner.org.id });
    const [queued] = await createTasks(db(), scope, 1);

    const [failed] = fake.failPayment(subscriptionId);
    expect(failed!.type).toBe("invoice.payment_failed");
    expect((await post(failed!)).body.outcome).toBe("applied");
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "PRO",
      subscriptionStatus: "PAST_DUE",
    });

    const refused = await codeOf(
      startTicketSpec(db(), { actor: owner.actor, input: { ticketId: ticket.id } }),
    );
    expect(refused).toEqual({
      code: "LIMIT_REACHED",
      message: `Payment for ${owner.org.name}'s Pro plan is overdue, so new runs are paused. Update the payment method on the billing page to resume.`,
      details: {
        limit: "payment",
        plan: "PRO",
        upgradeUrl: `http://localhost:3000/${owner.org.slug}/settings/billing`,
      },
    });
    expect(await db().spec.count({ where: { ticketId: ticket.id } })).toBe(0);
    // The scheduler starts nothing for it either.
    const claimed = await claimTasks(db(), { workerId: "w", limit: 5 });
    expect(claimed.filter((t) => t.orgId === owner.org.id)).toEqual([]);

    const [paid] = fake.payInvoice(subscriptionId);
    expect((await post(paid!)).body.outcome).toBe("applied");
    expect(await billingOf(owner.org.id)).toMatchObject({
      plan: "PRO",
      subscriptionStatus: "ACTIVE",
    });
    const resumed = await claimTasks(db(), { workerId: "w", limit: 5 });
    expect(resumed.map((t) => t.id)).toContain(queued);
    expect(
      (await codeOf(startTicketSpec(db(), { actor: owner.actor, input: { ticketId: ticket.id } })))
        .code,
    ).toBe("OK");
  });
});
