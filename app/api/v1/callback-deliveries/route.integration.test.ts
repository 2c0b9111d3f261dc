// The callback deliveries of the REST API: listed page by page (admin keys: URLs often carry a
// token), and sent again under the same rules as Settings' "Send again".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listActivity } from "@/lib/activity/list-activity";
import { callApi, mintApiKey } from "@/lib/api/v1/testing/api-client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { CallbackStatus } from "@/lib/generated/prisma/enums";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

interface DeliveryJson {
  id: string;
  ticket_id: string;
  url: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}
interface PageJson {
  data: DeliveryJson[];
  next_cursor: string | null;
}

describe("/api/v1/callback-deliveries", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let ticketId: string;
  let otherTicketId: string;
  const keys = { admin: "", write: "", stranger: "" };
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  const deliver = (ticket: string, status: CallbackStatus, createdAt: Date) =>
    database.db.callbackDelivery.create({
      data: {
        orgId: owner.org.id,
        ticketId: ticket,
        url: "https://ci.example.com/hooks?token=s3cret",
        payload: { type: "ticket.done" },
        status,
        attempts: status === "PENDING" ? 1 : 3,
        lastError: status === "DELIVERED" ? null : "The receiver answered 503",
        deliveredAt: status === "DELIVERED" ? createdAt : null,
        createdAt,
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
    const stranger = await createUserWithOrg(database.db, "Mallory");
    ({
      ticket: { id: ticketId },
    } = await createProjectWithTicket(database.db, owner.actor));
    const other = await database.db.ticket.create({
      data: {
        orgId: owner.org.id,
        projectId: (await database.db.ticket.findUniqueOrThrow({ where: { id: ticketId } }))
          .projectId,
        number: 99,
        title: "Another ticket",
      },
    });
    otherTicketId = other.id;
    keys.admin = (await mintApiKey(database.db, owner.actor, "ADMIN")).key;
    keys.write = (await mintApiKey(database.db, owner.actor, "WRITE")).key;
    keys.stranger = (await mintApiKey(database.db, stranger.actor, "ADMIN")).key;
  });
  afterAll(async () => {
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("lists a ticket's deliveries newest first, page by page", async () => {
    const t0 = Date.parse("2026-03-01T10:00:00.000Z");
    const failed = await deliver(ticketId, "FAILED", new Date(t0));
    const delivered = await deliver(ticketId, "DELIVERED", new Date(t0 + 1000));
    const pending = await deliver(ticketId, "PENDING", new Date(t0 + 2000));
    await deliver(otherTicketId, "FAILED", new Date(t0 + 3000));

    const pages: PageJson[] = [];
    let cursor: string | undefined;
    do {
      const response = await callApi("GET", "/callback-deliveries", {
        key: keys.admin,
        query: { ticket_id: ticketId, limit: "2", ...(cursor ? { cursor } : {}) },
      });
      expect(response.status).toBe(200);
      const page = (await response.json()) as PageJson;
      pages.push(page);
      cursor = page.next_cursor ?? undefined;
    } while (cursor && pages.length < 5);
    expect(pages.map((p) => p.data.map((d) => d.id))).toEqual([
      [pending.id, delivered.id],
      [failed.id],
    ]);
    const [first, second] = pages[0]?.data ?? [];
    expect(first).toMatchObject({
      ticket_id: ticketId,
      url: "https://ci.example.com/hooks?token=s3cret",
      status: "pending",
      attempts: 1,
      last_error: "The receiver answered 503",
      next_attempt_at: expect.any(String),
      delivered_at: null,
    });
    expect(second).toMatchObject({
      status: "delivered",
      next_attempt_at: null,
      delivered_at: "2026-03-01T10:00:01.000Z",
    });

    // Without a ticket: the organization's, all four.
    const all = await callApi("GET", "/callback-deliveries", { key: keys.admin });
    expect(((await all.json()) as PageJson).data).toHaveLength(4);
  });

  it("shows another organization nothing: no rows for its ticket ids, and its cursors refused", async () => {
    const forTicket = await callApi("GET", "/callback-deliveries", {
      key: keys.stranger,
      query: { ticket_id: ticketId },
    });
    expect(await forTicket.json()).toEqual({ data: [], next_cursor: null });
    const any = await database.db.callbackDelivery.findFirstOrThrow();
    const foreignCursor = await callApi("GET", "/callback-deliveries", {
      key: keys.stranger,
      query: { cursor: any.id },
    });
    expect(foreignCursor.status).toBe(400);
    expect(await foreignCursor.json()).toMatchObject({ error: { code: "INVALID" } });
  });

  it("sends a failed delivery again: pending with fresh attempts, recorded as the key's action", async () => {
    const failed = await deliver(ticketId, "FAILED", new Date());
    const resend = (key: string, deliveryId = failed.id) =>
      callApi("POST", "/callback-deliveries/{deliveryId}/resend", {
        key,
        params: { deliveryId },
      });

    // A write key may not; another organization's key finds nothing; neither changes anything.
    const refused = await resend(keys.write);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    const foreign = await resend(keys.stranger);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({
      error: { code: "NOT_FOUND", message: "Callback delivery not found" },
    });
    expect(await resend(keys.admin, "cbk_missing")).toMatchObject({ status: 404 });
    expect(
      await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: failed.id } }),
    ).toMatchObject({ status: "FAILED", attempts: 3 });

    const response = await resend(keys.admin);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: failed.id,
      status: "pending",
      attempts: 0,
      last_error: null,
      next_attempt_at: expect.any(String),
    });
    expect(
      await database.db.callbackDelivery.findUniqueOrThrow({ where: { id: failed.id } }),
    ).toMatchObject({ status: "PENDING", attempts: 0, lastError: null });

    // Queued already: 409, not a second send.
    const again = await resend(keys.admin);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "CONFLICT" } });

    const activity = await listActivity(database.db, {
      actor: owner.actor,
      input: { type: "ticket.callback_resent" },
    });
    expect(activity.items).toHaveLength(1);
    expect(activity.items[0]).toMatchObject({
      actorKind: "API",
      data: { deliveryId: failed.id, previousStatus: "FAILED" },
    });
  });
});
