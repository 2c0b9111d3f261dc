import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { createTicket } from "@/lib/tickets/create-ticket";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { createSpec } from "./create-spec";
import { listRecentSpecs } from "./list-recent-specs";

describe("listRecentSpecs (the sidebar's specs of a project)", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
  let projectId: string;
  let strangerProjectId: string;
  const specIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = await createUserWithOrg(database.db, "Ada");
    stranger = await createUserWithOrg(database.db, "Mallory");
    const { project } = await createProjectWithTicket(database.db, owner.actor);
    projectId = project.id;
    for (const title of ["Search", "Export", "Import"]) {
      const ticket = await createTicket(database.db, {
        actor: owner.actor,
        input: { projectId, title },
      });
      specIds.push(
        (await createSpec(database.db, { actor: owner.actor, input: { ticketId: ticket.id } })).id,
      );
    }
    const theirs = await createProjectWithTicket(database.db, stranger.actor, "Theirs");
    strangerProjectId = theirs.project.id;
    await createSpec(database.db, { actor: stranger.actor, input: { ticketId: theirs.ticket.id } });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("lists a project's latest-updated specs, at most perProject, with how many it has", async () => {
    // The first spec changes last: it leads the list.
    await database.db.spec.update({ where: { id: specIds[0] }, data: { title: "Edited" } });
    const listed = await listRecentSpecs(database.db, {
      actor: owner.actor,
      projectIds: [projectId],
      perProject: 2,
    });
    expect(listed[projectId]?.total).toBe(3);
    expect(listed[projectId]?.specs.map((s) => s.id)).toEqual([specIds[0], specIds[2]]);
    expect(listed[projectId]?.specs[0]).toMatchObject({ title: "Edited", state: "DRAFT" });
  });

  it("leaves out another organization's project", async () => {
    const listed = await listRecentSpecs(database.db, {
      actor: owner.actor,
      projectIds: [projectId, strangerProjectId],
    });
    expect(Object.keys(listed)).toEqual([projectId]);
  });
});
