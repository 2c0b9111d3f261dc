import { encode } from "next-auth/jwt";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { REALTIME_CHANNEL, type RealtimeEvent } from "@/lib/realtime/realtime-event";
import { realtimeHub, stopRealtimeHubForTests } from "@/lib/realtime/realtime-hub";
import { createTicket } from "@/lib/tickets/create-ticket";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { GET } from "./route";

// Requests carry a real Auth.js session cookie, minted with the server's secret.
const secret = "events-route-test-secret-0123456789";
const cookieName = "authjs.session-token";
async function sessionCookie(userId: string | null): Promise<string> {
  if (!userId) return "";
  return `${cookieName}=${await encode({ token: { sub: userId }, secret, salt: cookieName })}`;
}

interface Message {
  id: string | null;
  event: string;
  data: RealtimeEvent;
}

/** A browser's side of the stream: parses server-sent events as they arrive. */
class StreamReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  readonly #abort: AbortController;

  constructor(response: Response, abort: AbortController) {
    if (!response.body) throw new Error("no body");
    this.#reader = response.body.getReader();
    this.#abort = abort;
  }

  /** The next message that is not a heartbeat. */
  async next(timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const frame = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const message = parseFrame(frame);
        if (message && message.event === "message") return message;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no message in time");
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("no message in time")), left),
        ),
      ]);
      if (chunk.done) throw new Error("stream ended");
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  async take(n: number): Promise<Message[]> {
    const messages: Message[] = [];
    for (let i = 0; i < n; i++) messages.push(await this.next());
    return messages;
  }

  /** The browser goes away (tab closed, network dropped). */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#reader.cancel().catch(() => {});
  }
}

function parseFrame(frame: string): Message | null {
  let id: string | null = null;
  let event = "message";
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith(":")) continue;
    const [field, ...rest] = line.split(":");
    const value = rest.join(":").replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return null;
  return { id, event, data: JSON.parse(data.join("\n")) as RealtimeEvent };
}

describe("GET /api/orgs/[org]/events", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let projectId: string;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  async function request(
    userId: string | null,
    options: { org?: string; lastEventId?: string; after?: string; accept?: string } = {},
  ) {
    const abort = new AbortController();
    const url = new URL(`http://localhost/api/orgs/${options.org ?? owner.org.slug}/events`);
    if (options.after) url.searchParams.set("after", options.after);
    const headers: Record<string, string> = {
      cookie: await sessionCookie(userId),
      accept: options.accept ?? "text/event-stream",
    };
    if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
    const response = await GET(new Request(url, { headers, signal: abort.signal }), {
      params: Promise.resolve({ org: options.org ?? owner.org.slug }),
    });
    return { response, abort };
  }

  async function connect(options: { lastEventId?: string; after?: string }) {
    const { response, abort } = await request(owner.user.id, options);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    return new StreamReader(response, abort);
  }

  const newTicket = async (title: string) =>
    (await createTicket(database.db, { actor: owner.actor, input: { projectId, title } })).id;

  const latestSeq = async () =>
    (
      await database.db.activityEvent.findFirstOrThrow({
        where: { orgId: owner.org.id },
        orderBy: { seq: "desc" },
      })
    ).seq.toString();

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(condition()).toBe(true);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    process.env.AUTH_SECRET = secret;
    process.env.DATABASE_URL = database.url;
    resetEnvForTests();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    projectId = (await createProjectWithTicket(database.db, owner.actor)).project.id;
  });
  afterAll(async () => {
    await stopRealtimeHubForTests();
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("after a disconnect, resumes from Last-Event-ID: every missed event once, in order, then live", async () => {
    const stream = await connect({ after: await latestSeq() });
    const before = [await newTicket("One"), await newTicket("Two"), await newTicket("Three")];
    const first = await stream.take(3);
    expect(first.map((m) => [m.data.type, m.data.ticketId])).toEqual(
      before.map((id) => ["ticket.created", id]),
    );
    for (const m of first) expect(m.id).toBe(m.data.seq);

    // A transaction that wrote its event before the last one we saw commits only after we left.
    const slow = new pg.Client({ connectionString: database.url });
    await slow.connect();
    await slow.query("BEGIN");
    // (No project id: its foreign-key lock would hold up the ticket numbering's row lock.)
    await slow.query(`INSERT INTO "ActivityEvent" ("orgId", type) VALUES ($1, 'org.slow')`, [
      owner.org.id,
    ]);
    const seen = [...first];
    seen.push(await newTicket("Four").then(() => stream.next()));
    const lastId = seen.at(-1)?.id ?? "";
    await stream.close();
    await until(() => realtimeHub().subscriberCount(owner.org.id) === 0);

    await slow.query("COMMIT");
    await slow.end();
    const missed = [await newTicket("Five"), await newTicket("Six")];

    const resumed = await connect({ lastEventId: lastId });
    const replay = await resumed.take(3);
    expect(replay.map((m) => m.data.type)).toEqual([
      "org.slow",
      "ticket.created",
      "ticket.created",
    ]);
    expect(replay.slice(1).map((m) => m.data.ticketId)).toEqual(missed);
    // Live again: the next message is the next commit, so nothing was repeated in between.
    const live = await newTicket("Seven");
    const next = await resumed.next();
    expect(next.data.ticketId).toBe(live);

    const ids = [...seen, ...replay, next].map((m) => BigInt(m.id ?? "0"));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(ids).size).toBe(ids.length);
    // Exactly the organization's events after where the first stream started.
    const rows = await database.db.activityEvent.findMany({
      where: { orgId: owner.org.id, seq: { gte: ids[0] } },
      orderBy: { seq: "asc" },
      select: { seq: true },
    });
    expect(rows.map((r) => r.seq)).toEqual(ids);
    await resumed.close();
  });

  it("catches up when the process's LISTEN connection drops and comes back", async () => {
    // Another process listening on the database (as other web servers do): a connection that
    // LISTENs anew starts where the others have read to, so what it missed stays missed.
    const bystander = new pg.Client({ connectionString: database.url });
    await bystander.connect();
    const heard: string[] = [];
    bystander.on("notification", (n) => heard.push(n.payload ?? ""));
    await bystander.query(`LISTEN ${REALTIME_CHANNEL}`);

    const stream = await connect({ after: await latestSeq() });
    // The stream is live (subscribed and caught up) once an event comes through it.
    const before = await newTicket("Before the drop");
    expect((await stream.next()).data.ticketId).toBe(before);
    await database.db.$queryRaw`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'trellis-realtime-web'`;
    await until(() => !realtimeHub().listening());
    // Committed while the hub is not listening: its notification is lost, the table is not.
    const whileDown = await newTicket("While the listener was down");
    await until(() => heard.some((payload) => payload.includes(whileDown)));
    expect((await stream.next()).data.ticketId).toBe(whileDown);
    const after = await newTicket("After it came back");
    expect((await stream.next()).data.ticketId).toBe(after);
    await stream.close();
    await bystander.end();
  });

  it("streams only its own organization's events", async () => {
    const stream = await connect({ after: await latestSeq() });
    const other = await createProjectWithTicket(database.db, stranger.actor, "Theirs");
    await createTicket(database.db, {
      actor: stranger.actor,
      input: { projectId: other.project.id, title: "Not yours" },
    });
    const mine = await newTicket("Mine");
    expect((await stream.next()).data).toMatchObject({ orgId: owner.org.id, ticketId: mine });
    await stream.close();
  });

  it("answers JSON pages after ?after= for clients that catch up themselves (Pusher)", async () => {
    const after = await latestSeq();
    const ticketId = await newTicket("Paged");
    const { response } = await request(owner.user.id, { after, accept: "application/json" });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { events: RealtimeEvent[] };
    expect(page.events).toEqual([
      {
        seq: expect.stringMatching(/^\d+$/),
        type: "ticket.created",
        orgId: owner.org.id,
        projectId,
        ticketId,
      },
    ]);
  });

  it("refuses a non-member with 403 (whether or not the organization exists) and a stranger with 401", async () => {
    for (const org of [owner.org.slug, "no-such-org"]) {
      const { response } = await request(stranger.user.id, { org });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    const { response } = await request(null);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    expect(realtimeHub().subscriberCount(owner.org.id)).toBe(0);
  });

  it("rejects a Last-Event-ID that is not an event id", async () => {
    const { response } = await request(owner.user.id, { lastEventId: "evt_123" });
    expect(response.status).toBe(400);
  });
});
