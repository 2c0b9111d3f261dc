import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordActivity } from "@/lib/activity/record-activity";
import type { TimelineEntry } from "@/lib/activity/timeline-entry";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { createProject } from "@/lib/projects/create-project";
import { makeGitRepo } from "@/lib/testing/git-repo";
import { sessionCookie } from "@/lib/testing/session-cookie";
import { createUserWithOrg } from "@/prisma/factories";
import { GET } from "./route";

const secret = "activity-feed-test-secret-0123456789";

describe("GET /[org]/activity/feed", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let web: string;
  let api: string;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  async function feed(userId: string, org: string, query: Record<string, string> = {}) {
    const cookie = await sessionCookie(userId, secret);
    const response = await GET(
      new Request(`http://localhost/${org}/activity/feed?${new URLSearchParams(query)}`, {
        headers: { cookie },
      }),
      { params: Promise.resolve({ org }) },
    );
    const body = (await response.json()) as {
      entries: TimelineEntry[];
      nextCursor: string | null;
      error?: { code: string };
    };
    return { status: response.status, body };
  }

  beforeAll(async () => {
    process.env.AUTH_SECRET = secret;
    resetEnvForTests();
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    // Two projects: more than the Free plan allows.
    await database.db.organization.update({ where: { id: owner.org.id }, data: { plan: "TEAM" } });
    web = (
      await createProject(database.db, {
        actor: owner.actor,
        input: { name: "Web", localPath: makeGitRepo() },
      })
    ).id;
    api = (
      await createProject(database.db, {
        actor: owner.actor,
        input: { name: "Api", localPath: makeGitRepo() },
      })
    ).id;
    // 120 task events alternating between the projects, and one of a type the timeline does not know.
    for (let i = 0; i < 120; i++) {
      await recordActivity(database.db, {
        orgId: owner.org.id,
        type: "task.completed",
        actorKind: "AGENT",
        projectId: i % 2 === 0 ? web : api,
        data: { key: `${i}` },
      });
    }
    await recordActivity(database.db, {
      orgId: owner.org.id,
      type: "guardian.nudged",
      actorKind: "SYSTEM",
      projectId: web,
      data: { reason: "No progress for 5 minutes" },
    });
    await recordActivity(database.db, {
      orgId: stranger.org.id,
      type: "task.completed",
      actorKind: "AGENT",
      data: { key: "secret" },
    });
  });
  afterAll(async () => {
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("pages through every event newest first by sequence number, with no gap or repeat", async () => {
    const seen: TimelineEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await feed(owner.user.id, owner.org.slug, cursor ? { cursor } : {});
      expect(status).toBe(200);
      seen.push(...body.entries);
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    const ownEvents = await database.db.activityEvent.count({ where: { orgId: owner.org.id } });
    expect(seen).toHaveLength(ownEvents);
    expect(new Set(seen.map((e) => e.id)).size).toBe(ownEvents);
    const seqs = seen.map((e) => BigInt(e.seq));
    expect(seqs.every((s, i) => i === 0 || s < seqs[i - 1]!)).toBe(true);
    expect(pages).toBe(Math.ceil(ownEvents / 50));
    expect(seen.some((e) => e.sentence.includes("secret"))).toBe(false);
  });

  it("renders an unknown event type generically and known ones as sentences", async () => {
    const { body } = await feed(owner.user.id, owner.org.slug);
    expect(body.entries[0]).toMatchObject({
      type: "guardian.nudged",
      family: null,
      sentence: "Trellis · guardian.nudged",
      href: `/${owner.org.slug}/projects/${web}`,
      day: "Today",
    });
    expect(body.entries[1]).toMatchObject({ family: "task", sentence: "Task 119 done" });
  });

  it("filters by family and by project, and pages within the filter", async () => {
    const first = await feed(owner.user.id, owner.org.slug, { type: "task", project: api });
    expect(first.body.entries).toHaveLength(50);
    expect(first.body.entries.every((e) => e.type === "task.completed")).toBe(true);
    const second = await feed(owner.user.id, owner.org.slug, {
      type: "task",
      project: api,
      cursor: first.body.nextCursor!,
    });
    expect(second.body.entries).toHaveLength(10);
    expect(second.body.nextCursor).toBeNull();
    const keys = [...first.body.entries, ...second.body.entries].map((e) =>
      Number(e.sentence.split(" ")[1]),
    );
    expect(keys.every((k) => k % 2 === 1)).toBe(true);
    const projectEvents = await feed(owner.user.id, owner.org.slug, { type: "project" });
    expect(projectEvents.body.entries.map((e) => e.type)).toEqual([
      "project.created",
      "project.created",
    ]);
  });

  it("answers 404 to a stranger and 400 to a malformed cursor", async () => {
    expect((await feed(stranger.user.id, owner.org.slug)).status).toBe(404);
    const bad = await feed(owner.user.id, owner.org.slug, { cursor: "evt_abc" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "INVALID" });
  });
});
