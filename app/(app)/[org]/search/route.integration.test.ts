import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import type { SearchResult } from "@/lib/search/search-org";
import { createSpec } from "@/lib/specs/create-spec";
import { createTaskScope, createTasks } from "@/lib/tasks/testing/task-fixtures";
import { sessionCookie } from "@/lib/testing/session-cookie";
import { createTicket } from "@/lib/tickets/create-ticket";
import { addMember, createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { GET } from "./route";

// Requests carry a real Auth.js session cookie, minted with the server's secret.
const secret = "search-route-test-secret-0123456789";

describe("GET /[org]/search", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let viewerId: string;
  let fixture: Awaited<ReturnType<typeof createProjectWithTicket>>;
  let taskId: string;
  let specId: string;
  let strangerTaskId: string;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  async function search(userId: string | null, org: string, q: string) {
    const cookie = await sessionCookie(userId, secret);
    const response = await GET(
      new Request(`http://localhost/${org}/search?q=${encodeURIComponent(q)}`, {
        headers: { cookie },
      }),
      { params: Promise.resolve({ org }) },
    );
    const body = (await response.json()) as { results?: SearchResult[]; error?: { code: string } };
    return { status: response.status, body };
  }
  const kindsAndIds = (results: SearchResult[] | undefined) =>
    (results ?? []).map((r) => `${r.kind}:${r.id}`);

  beforeAll(async () => {
    process.env.AUTH_SECRET = secret;
    resetEnvForTests();
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    viewerId = (await addMember(database.db, owner.org.id, "VIEWER")).user.id;
    fixture = await createProjectWithTicket(database.db, owner.actor, "Storefront");
    await createTicket(database.db, {
      actor: owner.actor,
      input: { projectId: fixture.project.id, title: "Refund flow for 100% discounts" },
    });
    specId = (
      await createSpec(database.db, {
        actor: owner.actor,
        input: { ticketId: fixture.ticket.id },
      })
    ).id;
    const scope = await createTaskScope(database.db, { orgId: owner.org.id, name: "Billing" });
    taskId = (
      await createTasks(database.db, scope, 1, {
        key: "2.1",
        title: "Render the invoice preview",
        status: "PENDING",
      })
    )[0]!;
    await createTasks(database.db, scope, 1, {
      key: "2.2",
      title: "Email receipts",
      status: "PENDING",
    });
    const strangerScope = await createTaskScope(database.db, { orgId: stranger.org.id });
    strangerTaskId = (
      await createTasks(database.db, strangerScope, 1, {
        title: "Render the invoice preview",
        status: "PENDING",
      })
    )[0]!;
  });
  afterAll(async () => {
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("finds a task by one word of its title, case-insensitively, with its key and status", async () => {
    const { status, body } = await search(owner.user.id, owner.org.slug, "INVOICE");
    expect(status).toBe(200);
    expect(body.results).toEqual([
      {
        kind: "task",
        id: taskId,
        title: "Render the invoice preview",
        detail: "2.1 · Pending · Billing",
      },
    ]);
  });

  it("needs every word to match, in any order", async () => {
    expect(
      kindsAndIds((await search(owner.user.id, owner.org.slug, "preview render")).body.results),
    ).toEqual([`task:${taskId}`]);
    expect((await search(owner.user.id, owner.org.slug, "preview receipts")).body.results).toEqual(
      [],
    );
  });

  it("finds projects, tickets (by title or #number), specs and tasks (by key)", async () => {
    const kinds = async (q: string) =>
      ((await search(owner.user.id, owner.org.slug, q)).body.results ?? []).map((r) => r.kind);
    expect(await kinds("storefront")).toEqual(["project"]);
    // The first ticket "Add search" and the spec opened from it share the title.
    expect(await kinds("add search")).toEqual(["ticket", "spec"]);
    expect(
      kindsAndIds(
        (await search(owner.user.id, owner.org.slug, `#${fixture.ticket.number}`)).body.results,
      ),
    ).toEqual([`ticket:${fixture.ticket.id}`]);
    expect(
      kindsAndIds((await search(owner.user.id, owner.org.slug, "add search")).body.results),
    ).toContain(`spec:${specId}`);
    expect(await kinds("2.2")).toEqual(["task"]);
  });

  it("treats % and _ as plain characters", async () => {
    expect(
      ((await search(owner.user.id, owner.org.slug, "100%")).body.results ?? []).map(
        (r) => r.title,
      ),
    ).toEqual(["Refund flow for 100% discounts"]);
    expect((await search(owner.user.id, owner.org.slug, "%")).body.results).toHaveLength(1);
    expect((await search(owner.user.id, owner.org.slug, "_")).body.results).toEqual([]);
  });

  it("lets a viewer search", async () => {
    const { status, body } = await search(viewerId, owner.org.slug, "invoice");
    expect(status).toBe(200);
    expect(kindsAndIds(body.results)).toEqual([`task:${taskId}`]);
  });

  it("never returns another organization's rows: each member sees only their own", async () => {
    const theirs = await search(stranger.user.id, stranger.org.slug, "invoice");
    expect(kindsAndIds(theirs.body.results)).toEqual([`task:${strangerTaskId}`]);
    const ours = await search(owner.user.id, owner.org.slug, "invoice");
    expect(kindsAndIds(ours.body.results)).not.toContain(`task:${strangerTaskId}`);
  });

  it("answers 404 to a stranger under this organization's address, 401 without a session", async () => {
    const foreign = await search(stranger.user.id, owner.org.slug, "invoice");
    expect(foreign).toEqual({
      status: 404,
      body: { error: expect.objectContaining({ code: "NOT_FOUND" }) },
    });
    expect((await search(null, owner.org.slug, "invoice")).status).toBe(401);
  });

  it("refuses an empty query as invalid", async () => {
    const { status, body } = await search(owner.user.id, owner.org.slug, "   ");
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "INVALID" });
  });
});
