import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { createUserWithOrg } from "@/prisma/factories";
import { REALTIME_CHANNEL, type RealtimeEvent } from "./realtime-event";

/*
 * The triggers of migration realtime_notify: ActivityEvent.seq follows commit order within an
 * organization (what lets a stream resume "after seq N" without a gap), and each committed
 * event is announced on the NOTIFY channel — only once committed.
 */
describe("realtime triggers", () => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  let listener: pg.Client;
  const heard: RealtimeEvent[] = [];
  const clients: pg.Client[] = [];

  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    clients.push(c);
    return c;
  }

  async function insertEvent(c: pg.Client, orgId: string, type: string): Promise<string> {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO "ActivityEvent" ("orgId", type) VALUES ($1, $2) RETURNING id`,
      [orgId, type],
    );
    return rows[0]?.id ?? "";
  }

  async function seqOf(id: string): Promise<bigint> {
    const row = await database.db.activityEvent.findUniqueOrThrow({ where: { id } });
    return row.seq;
  }

  async function heardType(type: string): Promise<RealtimeEvent> {
    for (let i = 0; i < 200; i++) {
      const found = heard.find((e) => e.type === type);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no notification of ${type}`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    orgA = (await createUserWithOrg(database.db, "Ada")).org.id;
    orgB = (await createUserWithOrg(database.db, "Bob")).org.id;
    listener = await client();
    listener.on("notification", (message) => {
      if (message.channel === REALTIME_CHANNEL && message.payload)
        heard.push(JSON.parse(message.payload) as RealtimeEvent);
    });
    await listener.query(`LISTEN ${REALTIME_CHANNEL}`);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await database?.drop();
  });

  it("gives the event that commits later the larger seq, whatever the insert order", async () => {
    const early = await client();
    const late = await client();
    await early.query("BEGIN");
    const first = await insertEvent(early, orgA, "test.inserted_first");
    // Inserted second but committed first.
    const second = await insertEvent(late, orgA, "test.committed_first");
    await early.query("COMMIT");

    expect(await seqOf(first)).toBeGreaterThan(await seqOf(second));
    // Announced in commit order, each with its final seq.
    const a = await heardType("test.committed_first");
    const b = await heardType("test.inserted_first");
    expect(heard.indexOf(a)).toBeLessThan(heard.indexOf(b));
    expect(a.seq).toBe((await seqOf(second)).toString());
    expect(b.seq).toBe((await seqOf(first)).toString());
  });

  it("announces a committed event with the ids it names, and never a rolled-back one", async () => {
    const c = await client();
    await c.query("BEGIN");
    await insertEvent(c, orgA, "test.rolled_back");
    await c.query("ROLLBACK");
    const project = await database.db.project.create({
      data: { orgId: orgA, name: "Web", slug: "web-announce" },
    });
    await database.db.activityEvent.create({
      data: { orgId: orgA, type: "test.announced", projectId: project.id },
    });
    const event = await heardType("test.announced");
    expect(event).toEqual({
      seq: expect.stringMatching(/^\d+$/),
      type: "test.announced",
      orgId: orgA,
      projectId: project.id,
    });
    expect(heard.some((e) => e.type === "test.rolled_back")).toBe(false);
    expect(await database.db.activityEvent.count({ where: { type: "test.rolled_back" } })).toBe(0);
  });

  it("does not deadlock transactions that write events of several organizations in opposite orders", async () => {
    for (let round = 0; round < 10; round++) {
      const one = await client();
      const two = await client();
      await one.query("BEGIN");
      await two.query("BEGIN");
      await insertEvent(one, orgA, "test.multi");
      await insertEvent(one, orgB, "test.multi");
      await insertEvent(two, orgB, "test.multi");
      await insertEvent(two, orgA, "test.multi");
      await Promise.all([one.query("COMMIT"), two.query("COMMIT")]);
    }
    expect(await database.db.activityEvent.count({ where: { type: "test.multi" } })).toBe(40);
  });

  it("never lets a reader see a new event below a seq it has already seen (concurrent writers)", async () => {
    // Writers that hold their transaction open for a random while before committing, and a
    // reader that reads "after the last seq I saw" over and over, as a resuming stream does.
    const writers = await Promise.all(Array.from({ length: 6 }, () => client()));
    let writing = true;
    const seen = new Set<string>();
    const late: string[] = [];
    const reader = (async () => {
      let last = 0n;
      while (writing) {
        const rows = await database.db.activityEvent.findMany({
          where: { orgId: orgA, type: { startsWith: "test.concurrent." } },
          select: { seq: true },
        });
        let highest = last;
        for (const { seq } of rows) {
          if (seq > highest) highest = seq;
          if (seen.has(seq.toString())) continue;
          seen.add(seq.toString());
          if (seq < last) late.push(`${seq} appeared after ${last}`);
        }
        last = highest;
      }
    })();
    await Promise.all(
      writers.map(async (c, i) => {
        for (let k = 0; k < 8; k++) {
          await c.query("BEGIN");
          await insertEvent(c, orgA, `test.concurrent.${i}`);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
          await c.query("COMMIT");
        }
      }),
    );
    writing = false;
    await reader;
    expect(seen.size).toBeGreaterThan(0);
    expect(late).toEqual([]);
  });

  it("announces task changes and log batches without an activity event", async () => {
    const project = await database.db.project.create({
      data: { orgId: orgB, name: "Api", slug: "api-announce" },
    });
    const spec = await database.db.spec.create({
      data: { orgId: orgB, projectId: project.id, title: "S", slug: "s" },
    });
    const task = await database.db.task.create({
      data: { orgId: orgB, projectId: project.id, specId: spec.id, key: "1", title: "T" },
    });
    await database.db.task.update({ where: { id: task.id }, data: { rank: 5 } });
    expect(await heardType("task.updated")).toEqual({
      type: "task.updated",
      orgId: orgB,
      projectId: project.id,
      specId: spec.id,
      taskId: task.id,
    });
    await database.db.task.update({
      where: { id: task.id },
      data: { lastHeartbeatAt: new Date() },
    });
    expect((await heardType("task.heartbeat")).taskId).toBe(task.id);
    const run = await database.db.run.create({ data: { orgId: orgB, taskId: task.id } });
    await database.db.runLog.createMany({
      data: [1, 2, 3].map((seq) => ({ orgId: orgB, runId: run.id, seq, text: `line ${seq}` })),
    });
    await heardType("run.log");
    expect(heard.filter((e) => e.type === "run.log")).toEqual([
      { type: "run.log", orgId: orgB, runId: run.id, taskId: task.id },
    ]);
  });
});
