import { createHmac } from "node:crypto";
import { encode } from "next-auth/jwt";
import pg from "pg";
import Pusher from "pusher";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authorize } from "@/app/api/realtime/pusher/auth/route";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import type { Log } from "@/lib/logger";
import { type FakePusher, startFakePusher } from "@/lib/testing/fake-pusher";
import { createTicket } from "@/lib/tickets/create-ticket";
import { addMember, createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import type { PgListener } from "./pg-listener";
import { createPusherPublisher } from "./pusher-publisher";
import { createPusherServer } from "./pusher-server";
import { startRealtimeRelay } from "./start-realtime-relay";

/*
 * The Pusher transport with the real `pusher` SDK against a local server that checks its
 * signed requests as Pusher does (lib/testing/fake-pusher.ts): the worker's relay publishes
 * committed changes to the organization's private channel, and the auth endpoint signs a
 * subscription only for that organization's members.
 */
const quiet: Log = { debug() {}, info() {}, warn() {}, error: console.error };
const secret = "pusher-route-test-secret-0123456789";
const cookieName = "authjs.session-token";

describe("realtime over Pusher", () => {
  let database: TestDatabase;
  let fake: FakePusher;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let projectId: string;
  const relays: PgListener[] = [];
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  const sdk = (overrides: { secret?: string } = {}) =>
    new Pusher({
      appId: fake.appId,
      key: fake.key,
      secret: overrides.secret ?? fake.secret,
      host: fake.host,
      port: String(fake.port),
      useTLS: false,
    });

  async function relay(): Promise<PgListener> {
    const listener = startRealtimeRelay({
      url: database.url,
      db: database.db,
      publisher: createPusherPublisher(sdk(), quiet),
      log: quiet,
      replayWindowMs: 60_000,
    });
    relays.push(listener);
    return listener;
  }

  const newTicket = async (title: string) =>
    (await createTicket(database.db, { actor: owner.actor, input: { projectId, title } })).id;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakePusher();
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    projectId = (await createProjectWithTicket(database.db, owner.actor)).project.id;
    Object.assign(process.env, {
      AUTH_SECRET: secret,
      PUSHER_APP_ID: fake.appId,
      PUSHER_KEY: fake.key,
      PUSHER_SECRET: fake.secret,
      PUSHER_CLUSTER: "eu",
      PUSHER_HOST: fake.host,
      PUSHER_PORT: String(fake.port),
      PUSHER_USE_TLS: "false",
    });
    resetEnvForTests();
    globalForDb.trellisDb = database.db;
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.close()));
    for (const name of Object.keys(process.env))
      if (name.startsWith("PUSHER_")) delete process.env[name];
    resetEnvForTests();
    globalForDb.trellisDb = undefined;
    await fake?.close();
    await database?.drop();
  });

  it("the fake server accepts the SDK's signed requests and refuses a wrong secret or a tampered body", async () => {
    await sdk().trigger("private-org-check", "check.signed", { ok: true });
    expect(await fake.waitFor((e) => e.name === "check.signed")).toEqual({
      channel: "private-org-check",
      name: "check.signed",
      data: { ok: true },
    });

    await expect(
      sdk({ secret: "not-the-secret" }).trigger("c", "check.forged", {}),
    ).rejects.toMatchObject({
      status: 401,
    });
    expect(fake.rejected).toContain("invalid auth_signature");

    // A request signed for one body, sent with another.
    const path = `/apps/${fake.appId}/events`;
    const signedBody = JSON.stringify({ name: "check.body", data: "{}", channels: ["c"] });
    const query = sdk().createSignedQueryString({ method: "POST", path, body: signedBody });
    const tampered = await fetch(`http://${fake.host}:${fake.port}${path}?${query}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: signedBody.replace("check.body", "check.evil"),
    });
    expect(tampered.status).toBe(401);
    expect(fake.rejected).toContain("body_md5 does not match the body");
    expect(fake.events.some((e) => e.name === "check.forged" || e.name === "check.evil")).toBe(
      false,
    );
  });

  it("publishes a change to the organization's private channel once it commits, never before", async () => {
    const listener = await relay();
    await listener.ready();

    // A transaction writes its event and stays open.
    const open = new pg.Client({ connectionString: database.url });
    await open.connect();
    await open.query("BEGIN");
    await open.query(`INSERT INTO "ActivityEvent" ("orgId", type) VALUES ($1, 'org.pending')`, [
      owner.org.id,
    ]);
    // Something committed after it goes through the same relay...
    const ticketId = await newTicket("After the open one");
    const published = await fake.waitFor(
      (e) => (e.data as { ticketId?: string }).ticketId === ticketId,
    );
    // ...while the uncommitted event has not been published.
    expect(fake.events.some((e) => e.name === "org.pending")).toBe(false);
    expect(published).toEqual({
      channel: `private-org-${owner.org.id}`,
      name: "ticket.created",
      data: {
        seq: expect.stringMatching(/^\d+$/),
        type: "ticket.created",
        orgId: owner.org.id,
        projectId,
        ticketId,
      },
    });

    await open.query("COMMIT");
    await open.end();
    const pending = await fake.waitFor((e) => e.name === "org.pending");
    expect(pending.channel).toBe(`private-org-${owner.org.id}`);
    // Commit order: the event that committed last carries the larger seq.
    const seqOf = (e: typeof pending) => BigInt((e.data as { seq: string }).seq);
    expect(seqOf(pending)).toBeGreaterThan(seqOf(published));
  });

  it("publishes from one relay of several; another takes over, with what committed meanwhile, when it stops", async () => {
    // relays[0] (from the previous test) holds the lock; this one waits.
    const standby = await relay();
    const once = await newTicket("Published once");
    await fake.waitFor((e) => (e.data as { ticketId?: string }).ticketId === once);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      fake.events.filter((e) => (e.data as { ticketId?: string }).ticketId === once),
    ).toHaveLength(1);

    await relays[0]?.close();
    const meanwhile = await newTicket("Committed with no relay listening");
    await standby.ready();
    const published = await fake.waitFor(
      (e) => (e.data as { ticketId?: string }).ticketId === meanwhile,
      15_000,
    );
    expect(published.channel).toBe(`private-org-${owner.org.id}`);
  });

  describe("POST /api/realtime/pusher/auth", () => {
    const socketId = "123456.7890123";

    async function auth(userId: string | null, channel: string) {
      const cookie = userId
        ? `${cookieName}=${await encode({ token: { sub: userId }, secret, salt: cookieName })}`
        : "";
      // As pusher-js sends it: a form post.
      return authorize(
        new Request("http://localhost/api/realtime/pusher/auth", {
          method: "POST",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString(),
        }),
      );
    }

    it("signs a member's subscription to their organization's channel as Pusher verifies it", async () => {
      const channel = `private-org-${owner.org.id}`;
      const viewer = await addMember(database.db, owner.org.id, "VIEWER");
      for (const userId of [owner.user.id, viewer.user.id]) {
        const response = await auth(userId, channel);
        expect(response.status).toBe(200);
        const { auth: signature } = (await response.json()) as { auth: string };
        const [key, hmac] = signature.split(":");
        expect(key).toBe(fake.key);
        // What Pusher checks on subscribe: HMAC-SHA256 of "<socket_id>:<channel_name>" with the secret.
        const expected = createHmac("sha256", fake.secret)
          .update(`${socketId}:${channel}`)
          .digest("hex");
        expect(hmac).toBe(expected);
      }
    });

    it("refuses another organization's member with 403, and anyone signed out with 401", async () => {
      const channel = `private-org-${owner.org.id}`;
      const refused = await auth(stranger.user.id, channel);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
      for (const other of ["private-org-", "presence-org-x", "private-org-org_missing"]) {
        expect((await auth(owner.user.id, other)).status).toBe(403);
      }
      expect((await auth(null, channel)).status).toBe(401);
    });

    it("is configured from the environment, as the web server builds it", () => {
      expect(createPusherServer()).not.toBeNull();
    });
  });
});
