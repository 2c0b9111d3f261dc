import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlFromDatabase } from "@/lib/db/schema-engine";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";

describe("committed migrations", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("build exactly the database schema.prisma describes (no drift)", async () => {
    const drift = await sqlFromDatabase("prisma/schema.prisma", database.url);
    // A non-empty script is the SQL a new migration would need: run `npm run db:draft-migration -- <name>`.
    expect(drift).toBe("");
  });

  it("would notice drift if a migration and the schema disagreed", async () => {
    await database.db.$executeRawUnsafe('ALTER TABLE "Ticket" DROP COLUMN "labels"');
    const drift = await sqlFromDatabase("prisma/schema.prisma", database.url);
    expect(drift).toMatch(/ALTER TABLE "Ticket" ADD COLUMN\s+"labels"/);
  });

  it("give every table prefixed ids", async () => {
    const org = await database.db.organization.create({ data: { name: "Acme", slug: "acme-ids" } });
    expect(org.id).toMatch(/^org_[0-9a-f]{26}$/);
    const project = await database.db.project.create({
      data: { orgId: org.id, name: "Web", slug: "web" },
    });
    expect(project.id).toMatch(/^prj_[0-9a-f]{26}$/);
  });
});
