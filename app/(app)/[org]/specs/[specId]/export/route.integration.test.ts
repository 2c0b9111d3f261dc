import { unzipSync } from "fflate";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { createSpec } from "@/lib/specs/create-spec";
import { importSpec } from "@/lib/specs/import-spec";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { GET } from "./route";

// Requests carry a real Auth.js session cookie, minted with the server's secret.
const secret = "export-route-test-secret-0123456789";
const cookieName = "authjs.session-token";
const session = { userId: "" };
async function sessionCookie(userId: string): Promise<string> {
  if (!userId) return "";
  return `${cookieName}=${await encode({ token: { sub: userId }, secret, salt: cookieName })}`;
}

const requirementsMd = [
  "# Requirements Document",
  "",
  "## Introduction",
  "",
  "Leads share the board as CSV.",
  "",
  "## Requirements",
  "",
  "### Requirement 1: Export the board",
  "",
  "**User Story:** As a project lead, I want a CSV of the board, so that finance sees it",
  "",
  "#### Acceptance Criteria",
  "",
  "1. WHEN the lead presses Export THE SYSTEM SHALL download a CSV",
  "",
].join("\n");

describe("GET /[org]/specs/[specId]/export", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let specId: string;
  let slug: string;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  const get = async (org: string, query = "") =>
    GET(
      new Request(`http://localhost/${org}/specs/${specId}/export${query}`, {
        headers: { cookie: await sessionCookie(session.userId) },
      }),
      { params: Promise.resolve({ org, specId }) },
    );

  beforeAll(async () => {
    process.env.AUTH_SECRET = secret;
    resetEnvForTests();
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    const { ticket } = await createProjectWithTicket(database.db, owner.actor);
    const spec = await createSpec(database.db, {
      actor: owner.actor,
      input: { ticketId: ticket.id },
    });
    specId = spec.id;
    slug = spec.slug;
    await importSpec(database.db, {
      actor: owner.actor,
      input: { specId, files: { "requirements.md": requirementsMd } },
    });
  });
  afterAll(async () => {
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("downloads <slug>.zip holding <slug>/requirements.md", async () => {
    session.userId = owner.user.id;
    const response = await get(owner.org.slug);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${slug}.zip"`);
    const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(entries)).toEqual([`${slug}/requirements.md`]);
    expect(new TextDecoder().decode(entries[`${slug}/requirements.md`])).toBe(requirementsMd);
  });

  it("gives one file as text/markdown with ?file=, and 404 for a phase not written yet", async () => {
    session.userId = owner.user.id;
    const response = await get(owner.org.slug, "?file=requirements.md");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await response.text()).toBe(requirementsMd);

    const missing = await get(owner.org.slug, "?file=design.md");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: "NOT_FOUND", message: "The spec has no design.md yet." },
    });
    const unknown = await get(owner.org.slug, "?file=notes.md");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      error: {
        code: "INVALID",
        details: { fields: { file: "file must be requirements.md, design.md or tasks.md" } },
      },
    });
  });

  it("answers 404 to another organization's member, under either organization's address", async () => {
    session.userId = stranger.user.id;
    for (const org of [stranger.org.slug, owner.org.slug]) {
      const response = await get(org);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });

  it("answers 401 without a session, and with a cookie signed by another secret", async () => {
    session.userId = "";
    expect((await get(owner.org.slug)).status).toBe(401);
    const forged = await encode({
      token: { sub: owner.user.id },
      secret: "not-the-server-secret-0123456789",
      salt: cookieName,
    });
    const response = await GET(
      new Request(`http://localhost/${owner.org.slug}/specs/${specId}/export`, {
        headers: { cookie: `${cookieName}=${forged}` },
      }),
      { params: Promise.resolve({ org: owner.org.slug, specId }) },
    );
    expect(response.status).toBe(401);
  });
});
