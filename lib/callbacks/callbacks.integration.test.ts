// Callbacks end to end: a ticket enqueued with a callback URL, its work ending, and the worker's
// delivery to a local receiver — signed (verified here with the test's own HMAC code), retried
// after a 500, never redirected, and refused for every address the SSRF guard must keep out.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listActivity } from "@/lib/activity/list-activity";
import { AppError } from "@/lib/api/app-error";
import { orgActionHandlers } from "@/lib/api/org-action-handlers";
import { callApi, mintApiKey } from "@/lib/api/v1/testing/api-client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { IntakeStartRequest } from "@/lib/intake/intake-event";
import { startIntakeSpec } from "@/lib/intake/start-intake-spec";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { cancelSpec } from "@/lib/specs/cancel-spec";
import { finishSpecExecution } from "@/lib/specs/finish-spec-execution";
import { recordingEngine } from "@/lib/specs/testing/pipeline-fixtures";
import { addMember, createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { mergeOrgSettings } from "./callback-settings";
import { deliverDueCallbacks, MAX_CALLBACK_ATTEMPTS } from "./deliver-callbacks";
import { listCallbackDeliveries } from "./list-callback-deliveries";
import { type ResolvedAddress, setCallbackResolver } from "./safe-url";
import { startCallbackDispatcher } from "./start-callback-dispatcher";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver answering each request with the next planned status (then 200). */
async function startReceiver() {
  const received: Received[] = [];
  const plan: { status: number; location?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const next = plan.shift() ?? { status: 200 };
      res.writeHead(next.status, next.location ? { location: next.location } : {});
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { received, plan, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Standard Webhooks verification, written here from the spec rather than imported. */
function verifySignature(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`;
  const expected = createHmac("sha256", key).update(signed).digest();
  return String(headers["webhook-signature"])
    .split(" ")
    .some((entry) => {
      const [version, signature] = entry.split(",");
      const given = Buffer.from(signature ?? "", "base64");
      return (
        version === "v1" && given.length === expected.length && timingSafeEqual(given, expected)
      );
    });
}

describe("ticket callbacks", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let key: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let engine: ReturnType<typeof recordingEngine>;
  let dns: Record<string, ResolvedAddress[]>;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };
  const resolver = async (host: string) => {
    const answer = dns[host];
    if (!answer)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return answer;
  };
  const v4 = (address: string): ResolvedAddress[] => [{ address, family: 4 }];

  const enqueue = (callbackUrl: string, extra: Record<string, unknown> = {}) =>
    callApi("POST", "/tasks/enqueue", {
      key,
      body: {
        type: "chore",
        payload: { title: "Bump dependencies" },
        target: { repository: "web" },
        metadata: { build: 7 },
        callback_url: callbackUrl,
        ...extra,
      },
    });

  /** Enqueues, starts the spec as the worker would, and ends it: DONE through execution, or cancelled. */
  async function ticketThatEnds(callbackUrl: string, end: "done" | "cancelled") {
    const response = await enqueue(callbackUrl);
    expect(response.status).toBe(201);
    const { ticket_id } = (await response.json()) as { ticket_id: string };
    const sent = engine.sent.find((e) => (e.data as IntakeStartRequest).ticketId === ticket_id);
    const started = await startIntakeSpec(database.db, sent?.data as IntakeStartRequest);
    const specId = "specId" in started ? (started.specId ?? "") : "";
    if (end === "cancelled") {
      await cancelSpec(database.db, { actor: owner.actor, input: { specId } });
    } else {
      // Skip the phases: the spec executes one task, which is done.
      const spec = await database.db.spec.update({
        where: { id: specId },
        data: { state: "EXECUTING", integrationBranch: "trellis/bump" },
      });
      await database.db.task.create({
        data: {
          orgId: owner.org.id,
          projectId: spec.projectId,
          specId,
          key: "1",
          title: "Bump",
          status: "DONE",
        },
      });
      expect(await finishSpecExecution(database.db, { orgId: owner.org.id, specId })).toBe(true);
    }
    return { ticketId: ticket_id, specId };
  }

  const settings = (patch: Record<string, unknown>) =>
    mergeOrgSettings(database.db, owner.org.id, patch);
  const secretOf = async () =>
    (
      (await database.db.organization.findUniqueOrThrow({ where: { id: owner.org.id } }))
        .settings as {
        callbackSigningSecret: string;
      }
    ).callbackSigningSecret;

  beforeAll(async () => {
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
    // Tests make several projects: more than the Free plan allows.
    await database.db.organization.update({ where: { id: owner.org.id }, data: { plan: "TEAM" } });
    await createProjectWithTicket(database.db, owner.actor);
    key = (await mintApiKey(database.db, owner.actor, "WRITE")).key;
    receiver = await startReceiver();
    setCallbackResolver(resolver);
  });
  beforeEach(async () => {
    engine = recordingEngine();
    setJobEngine(engine);
    dns = { "receiver.test": v4("127.0.0.1"), "hooks.example.com": v4("93.184.216.34") };
    receiver.received.length = 0;
    receiver.plan.length = 0;
    await settings({ allowedCallbackHosts: ["receiver.test"] });
    // Deliveries other tests left behind are not this test's business.
    await database.db.callbackDelivery.updateMany({
      where: { status: "PENDING" },
      data: { status: "FAILED" },
    });
  });
  afterAll(async () => {
    setJobEngine(undefined);
    setCallbackResolver(undefined);
    globalForDb.trellisDb = undefined;
    await receiver?.close();
    await database?.drop();
  });

  it("delivers a signed POST when the work ends, retried with backoff after a 500", async () => {
    const url = `http://receiver.test:${receiver.port}/hooks/trellis?build=7`;
    const { ticketId, specId } = await ticketThatEnds(url, "done");
    // The outbox row was written with the state change.
    const queued = await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } });
    expect(queued).toMatchObject({ status: "PENDING", attempts: 0, url });

    receiver.plan.push({ status: 500 });
    const now = new Date();
    expect(await deliverDueCallbacks(database.db, { now })).toEqual({
      delivered: 0,
      retrying: 1,
      failed: 0,
    });
    const afterFirst = await database.db.callbackDelivery.findUniqueOrThrow({
      where: { id: queued.id },
    });
    expect(afterFirst).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: "The receiver answered 500",
    });
    const waitMs = afterFirst.nextAttemptAt.getTime() - now.getTime();
    expect(waitMs).toBeGreaterThanOrEqual(8_000);
    expect(waitMs).toBeLessThanOrEqual(12_000);
    // Not due before the backoff has passed.
    expect(
      await deliverDueCallbacks(database.db, { now: new Date(now.getTime() + 5_000) }),
    ).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });
    expect(
      await deliverDueCallbacks(database.db, { now: new Date(now.getTime() + waitMs + 1) }),
    ).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(
      await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: queued.id } }),
    ).toMatchObject({
      status: "DELIVERED",
      attempts: 2,
    });
    // The outcome is announced once, as activity on the ticket (what refreshes Settings live);
    // the retry changed no state and announced nothing.
    const announced = (await listActivity(database.db, { actor: owner.actor, input: {} })).items
      .filter((e) => e.type.startsWith("ticket.callback_") && e.ticket?.id === ticketId)
      .map((e) => ({ type: e.type, actorKind: e.actorKind, data: e.data }));
    expect(announced).toEqual([
      {
        type: "ticket.callback_delivered",
        actorKind: "SYSTEM",
        data: expect.objectContaining({ deliveryId: queued.id, attempts: 2 }),
      },
    ]);

    expect(receiver.received).toHaveLength(2);
    const secret = await secretOf();
    expect(secret).toMatch(/^whsec_/);
    for (const request of receiver.received) {
      expect(request.path).toBe("/hooks/trellis?build=7");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers.host).toBe(`receiver.test:${receiver.port}`);
      expect(request.headers["webhook-id"]).toBe(queued.id);
      expect(verifySignature(secret, request.headers, request.body)).toBe(true);
      // A changed body or another secret does not verify.
      expect(verifySignature(secret, request.headers, `${request.body} `)).toBe(false);
      expect(verifySignature("whsec_AAAA", request.headers, request.body)).toBe(false);
    }
    const [first, second] = receiver.received;
    expect(Number(second?.headers["webhook-timestamp"])).toBeGreaterThan(
      Number(first?.headers["webhook-timestamp"]),
    );
    expect(JSON.parse(second?.body ?? "")).toEqual({
      type: "ticket.done",
      timestamp: expect.any(String),
      data: {
        ticket_id: ticketId,
        spec_id: specId,
        status: "done",
        idempotency_key: null,
        failure_reason: null,
        branch: "trellis/bump",
        pull_request_url: null,
        metadata: { build: 7 },
      },
    });
  });

  it("says when work was cancelled, and writes no callback for tickets without a URL", async () => {
    const { ticketId } = await ticketThatEnds(
      `http://receiver.test:${receiver.port}/c`,
      "cancelled",
    );
    const delivery = await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } });
    expect(delivery.payload).toMatchObject({
      type: "ticket.cancelled",
      data: { status: "cancelled" },
    });
    const before = await database.db.callbackDelivery.count();
    const { ticket } = await createProjectWithTicket(database.db, owner.actor, "Quiet");
    const { startTicketSpec } = await import("@/lib/specs/start-ticket-spec");
    const spec = await startTicketSpec(database.db, {
      actor: owner.actor,
      input: { ticketId: ticket.id },
    });
    await cancelSpec(database.db, { actor: owner.actor, input: { specId: spec.id } });
    expect(await database.db.callbackDelivery.count()).toBe(before);
  });

  it("gives up on a 4xx at once and does not follow redirects", async () => {
    const { ticketId } = await ticketThatEnds(`http://receiver.test:${receiver.port}/gone`, "done");
    receiver.plan.push({ status: 410 });
    expect(await deliverDueCallbacks(database.db)).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 1,
    });
    expect(
      await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } }),
    ).toMatchObject({
      status: "FAILED",
      attempts: 1,
      lastError: "The receiver answered 410",
    });
    const failedEvent = (
      await listActivity(database.db, { actor: owner.actor, input: {} })
    ).items.find((e) => e.type === "ticket.callback_failed" && e.ticket?.id === ticketId);
    expect(failedEvent?.data).toMatchObject({ attempts: 1, error: "The receiver answered 410" });
    // Every member reads activity; the URL (which may carry a token) is not in it.
    expect(JSON.stringify(failedEvent?.data)).not.toContain("/gone");

    const moved = await ticketThatEnds(`http://receiver.test:${receiver.port}/moved`, "done");
    receiver.plan.push({
      status: 302,
      location: `http://receiver.test:${receiver.port}/elsewhere`,
    });
    receiver.received.length = 0;
    expect(await deliverDueCallbacks(database.db)).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 1,
    });
    expect(receiver.received.map((r) => r.path)).toEqual(["/moved"]);
    expect(
      await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId: moved.ticketId } }),
    ).toMatchObject({
      status: "FAILED",
      lastError: "The receiver answered 302",
    });
  });

  it("refuses callback URLs that reach loopback, private, link-local, CGNAT or metadata addresses, writing nothing", async () => {
    dns["internal.example"] = v4("10.20.30.40");
    dns["mixed.example"] = [
      { address: "93.184.216.34", family: 4 },
      { address: "192.168.1.10", family: 4 },
    ];
    dns["v6private.example"] = [{ address: "fd12:3456::1", family: 6 }];
    const refused = [
      "http://127.0.0.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/",
      "http://2130706433/", // decimal 127.0.0.1
      "http://0x7f000001/", // hexadecimal
      "http://0177.0.0.1/", // octal
      "http://127.1/", // short form
      "http://[::ffff:127.0.0.1]/", // IPv4-mapped IPv6
      "http://[::ffff:a9fe:a9fe]/", // mapped metadata address
      "http://10.0.0.1/",
      "http://172.16.5.4/",
      "http://192.168.0.1/",
      "http://100.64.0.1/",
      "http://169.254.1.1/",
      "http://0.0.0.0/",
      "http://[fe80::1]/",
      "http://[fd00:ec2::254]/",
      "http://[fc00::1]/",
      "http://224.0.0.1/",
      "http://localhost:8080/",
      "http://internal.example/hook", // a name resolving to a private address
      "http://mixed.example/hook", // one private address among public ones
      "http://v6private.example/",
      "http://nowhere.example/", // does not resolve
    ];
    const before = await database.db.ticket.count();
    for (const url of refused) {
      const response = await enqueue(url);
      const body = (await response.json()) as {
        error: { code: string; message: string; details?: { fields?: object } };
      };
      expect({ url, status: response.status, code: body.error.code }).toEqual({
        url,
        status: 422,
        code: "UNPROCESSABLE",
      });
      expect({ url, fields: Object.keys(body.error.details?.fields ?? {}) }).toEqual({
        url,
        fields: ["callback_url"],
      });
    }
    expect(await database.db.ticket.count()).toBe(before);
    // A public name passes.
    expect((await enqueue("https://hooks.example.com/trellis")).status).toBe(201);
  });

  it("checks again at delivery, after DNS resolution: a name re-pointed at a private address is refused", async () => {
    dns["rebind.example"] = v4("93.184.216.34");
    const { ticketId } = await ticketThatEnds(
      `http://rebind.example:${receiver.port}/hook`,
      "done",
    );
    dns["rebind.example"] = v4("127.0.0.1");
    expect(await deliverDueCallbacks(database.db)).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 1,
    });
    expect(receiver.received).toEqual([]);
    const delivery = await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } });
    expect(delivery.lastError).toBe(
      "Refused: rebind.example resolves to 127.0.0.1, a loopback address",
    );

    // A host removed from the allowlist after enqueueing is refused at delivery too.
    const late = await ticketThatEnds(`http://receiver.test:${receiver.port}/late`, "done");
    await settings({ allowedCallbackHosts: [] });
    expect(await deliverDueCallbacks(database.db)).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 1,
    });
    expect(
      await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId: late.ticketId } }),
    ).toMatchObject({
      lastError: expect.stringContaining("loopback"),
    });
    expect(receiver.received).toEqual([]);
  });

  it("is delivered by the worker's dispatcher loop without anyone asking", async () => {
    const { ticketId } = await ticketThatEnds(`http://receiver.test:${receiver.port}/loop`, "done");
    const dispatcher = startCallbackDispatcher(database.db, { pollMs: 50 });
    try {
      await expect
        .poll(
          async () =>
            (await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } })).status,
          {
            timeout: 10_000,
          },
        )
        .toBe("DELIVERED");
    } finally {
      await dispatcher.stop();
    }
    expect(receiver.received.map((r) => r.path)).toEqual(["/loop"]);
  });

  it("reaches a private address when the organization allows the host explicitly", async () => {
    await settings({ allowedCallbackHosts: ["127.0.0.1"] });
    const { ticketId } = await ticketThatEnds(`http://127.0.0.1:${receiver.port}/direct`, "done");
    expect(await deliverDueCallbacks(database.db)).toEqual({
      delivered: 1,
      retrying: 0,
      failed: 0,
    });
    expect(receiver.received.map((r) => r.path)).toEqual(["/direct"]);
    expect(
      await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } }),
    ).toMatchObject({
      status: "DELIVERED",
    });
  });

  describe("send again", () => {
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => "OK",
        (error: unknown) => (error instanceof AppError ? error.code : Promise.reject(error)),
      );
    const resend = (actor: typeof owner.actor, deliveryId: string) =>
      orgActionHandlers.resendCallbackDelivery(database.db, actor, { deliveryId });

    it("queues a failed delivery again; it arrives with a valid signature and the same webhook-id", async () => {
      const url = `http://receiver.test:${receiver.port}/flaky`;
      const { ticketId } = await ticketThatEnds(url, "done");
      // The receiver answers 500 to every attempt, until it is fixed.
      receiver.plan.push(...Array.from({ length: MAX_CALLBACK_ATTEMPTS }, () => ({ status: 500 })));
      let now = Date.now();
      for (let attempt = 1; attempt <= MAX_CALLBACK_ATTEMPTS; attempt++) {
        await deliverDueCallbacks(database.db, { now: new Date(now) });
        now += 2 * 60 * 60_000; // past any backoff
      }
      const failed = await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } });
      expect(failed).toMatchObject({
        status: "FAILED",
        attempts: MAX_CALLBACK_ATTEMPTS,
        lastError: "The receiver answered 500",
      });
      const listed = await listCallbackDeliveries(database.db, { actor: owner.actor });
      expect(listed[0]).toMatchObject({
        id: failed.id,
        url,
        status: "FAILED",
        attempts: MAX_CALLBACK_ATTEMPTS,
        lastError: "The receiver answered 500",
        ticket: { id: ticketId },
      });
      // Nothing more is sent on its own.
      receiver.received.length = 0;
      expect(await deliverDueCallbacks(database.db, { now: new Date(now) })).toEqual({
        delivered: 0,
        retrying: 0,
        failed: 0,
      });

      // The receiver is fixed; an admin sends the callback again through the server action.
      receiver.plan.length = 0;
      expect(
        await orgActionHandlers.resendCallbackDelivery(database.db, owner.actor, {
          deliveryId: failed.id,
        }),
      ).toEqual({ id: failed.id, status: "PENDING" });
      expect(
        await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: failed.id } }),
      ).toMatchObject({ status: "PENDING", attempts: 0, lastError: null });
      // Sending again while it is queued is refused rather than doubled.
      expect(
        await codeOf(
          orgActionHandlers.resendCallbackDelivery(database.db, owner.actor, {
            deliveryId: failed.id,
          }),
        ),
      ).toBe("CONFLICT");

      expect(await deliverDueCallbacks(database.db)).toEqual({
        delivered: 1,
        retrying: 0,
        failed: 0,
      });
      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      expect(request?.path).toBe("/flaky");
      expect(request?.headers["webhook-id"]).toBe(failed.id);
      expect(verifySignature(await secretOf(), request?.headers ?? {}, request?.body ?? "")).toBe(
        true,
      );
      expect(JSON.parse(request?.body ?? "")).toEqual(failed.payload);
      expect(
        await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: failed.id } }),
      ).toMatchObject({ status: "DELIVERED", attempts: 1, lastError: null });

      const activity = await listActivity(database.db, { actor: owner.actor, input: {} });
      expect(activity.items.find((e) => e.type === "ticket.callback_resent")).toMatchObject({
        ticket: { id: ticketId },
        data: { deliveryId: failed.id, previousStatus: "FAILED" },
      });
    });

    it("checks the URL again when it is sent: a host no longer allowed is refused", async () => {
      const { ticketId } = await ticketThatEnds(
        `http://receiver.test:${receiver.port}/again`,
        "done",
      );
      await deliverDueCallbacks(database.db);
      const delivered = await database.db.callbackDelivery.findFirstOrThrow({
        where: { ticketId },
      });
      expect(delivered.status).toBe("DELIVERED");
      await settings({ allowedCallbackHosts: [] });
      receiver.received.length = 0;
      await resend(owner.actor, delivered.id);
      expect(await deliverDueCallbacks(database.db)).toEqual({
        delivered: 0,
        retrying: 0,
        failed: 1,
      });
      expect(receiver.received).toEqual([]);
      expect(
        await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: delivered.id } }),
      ).toMatchObject({ status: "FAILED", lastError: expect.stringContaining("loopback") });
    });

    it("is for admins and owners of the delivery's organization only", async () => {
      const { ticketId } = await ticketThatEnds(
        `http://receiver.test:${receiver.port}/gone`,
        "done",
      );
      receiver.plan.push({ status: 410 });
      await deliverDueCallbacks(database.db);
      const failed = await database.db.callbackDelivery.findFirstOrThrow({ where: { ticketId } });
      expect(failed.status).toBe("FAILED");

      const member = (await addMember(database.db, owner.org.id, "MEMBER")).actor;
      const admin = (await addMember(database.db, owner.org.id, "ADMIN")).actor;
      const stranger = (await createUserWithOrg(database.db, "Mallory")).actor;
      expect(await codeOf(resend(member, failed.id))).toBe("FORBIDDEN");
      expect(await codeOf(listCallbackDeliveries(database.db, { actor: member }))).toBe(
        "FORBIDDEN",
      );
      expect(await codeOf(resend(stranger, failed.id))).toBe("NOT_FOUND");
      expect(await listCallbackDeliveries(database.db, { actor: stranger })).toEqual([]);
      expect(await codeOf(resend(admin, "cbk_missing"))).toBe("NOT_FOUND");
      expect(
        await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: failed.id } }),
      ).toMatchObject({ status: "FAILED", attempts: 1 });

      expect(await codeOf(resend(admin, failed.id))).toBe("OK");
      expect(
        await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: failed.id } }),
      ).toMatchObject({ status: "PENDING", attempts: 0 });
    });
  });
});
