import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toAppError } from "@/lib/api/to-app-error";
import { signUp } from "@/lib/auth/sign-up";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { createProject } from "@/lib/projects/create-project";
import { createTicket } from "@/lib/tickets/create-ticket";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

/** The field errors a user would see next to the form fields. */
async function fieldsOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return toAppError(error).details?.fields ?? { _code: toAppError(error).code };
  }
  throw new Error("expected a refusal");
}

describe("bad input is refused with a precise message and writes nothing", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let projectId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = await createUserWithOrg(database.db, "Ada");
    projectId = (await createProjectWithTicket(database.db, owner.actor)).project.id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("sign-up: malformed email, short password, duplicate email", async () => {
    const users = await database.db.user.count();
    expect(
      await fieldsOf(signUp(database.db, { email: "not-an-email", password: "long enough" })),
    ).toEqual({
      email: "Enter a valid email address, like ada@example.com",
    });
    expect(
      await fieldsOf(signUp(database.db, { email: "bob@example.com", password: "short" })),
    ).toEqual({
      password: "Password must be at least 8 characters",
    });
    expect(
      await fieldsOf(
        signUp(database.db, { email: owner.email.toUpperCase(), password: "long enough" }),
      ),
    ).toEqual({
      email: "An account with this email already exists. Sign in instead.",
    });
    expect(await database.db.user.count()).toBe(users);
    expect(await database.db.organization.count()).toBe(1);
  });

  it("project: a path that does not exist, or is not a git repository", async () => {
    const missing = path.join(os.tmpdir(), "trellis-no-such-dir-4711");
    expect(
      await fieldsOf(
        createProject(database.db, {
          actor: owner.actor,
          input: { name: "X", localPath: missing },
        }),
      ),
    ).toEqual({
      localPath: `No folder exists at ${missing}`,
    });
    const plain = mkdtempSync(path.join(os.tmpdir(), "trellis-plain-"));
    expect(
      await fieldsOf(
        createProject(database.db, { actor: owner.actor, input: { name: "X", localPath: plain } }),
      ),
    ).toEqual({
      localPath: `${plain} is not a git repository (run git init there first)`,
    });
    expect(
      await fieldsOf(
        createProject(database.db, {
          actor: owner.actor,
          input: { name: "X", localPath: "relative/path" },
        }),
      ),
    ).toEqual({
      localPath: "Enter an absolute path, like /home/ada/code/app",
    });
    expect(
      await fieldsOf(
        createProject(database.db, { actor: owner.actor, input: { name: " ", localPath: plain } }),
      ),
    ).toEqual({
      name: "Name is required",
    });
    expect(await database.db.project.count()).toBe(1);
  });

  it("ticket: an empty title, an oversized description", async () => {
    expect(
      await fieldsOf(
        createTicket(database.db, { actor: owner.actor, input: { projectId, title: "   " } }),
      ),
    ).toEqual({
      title: "Title is required",
    });
    const description = "x".repeat(20_001);
    expect(
      await fieldsOf(
        createTicket(database.db, {
          actor: owner.actor,
          input: { projectId, title: "Ok", description },
        }),
      ),
    ).toEqual({
      description: "Description must be at most 20,000 characters",
    });
    expect(await database.db.ticket.count()).toBe(1);
  });

  it("numbers concurrent tickets without gaps or duplicates", async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        createTicket(database.db, { actor: owner.actor, input: { projectId, title: `T${i}` } }),
      ),
    );
    const numbers = created.map((t) => t.number).sort((a, b) => a - b);
    expect(numbers).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
