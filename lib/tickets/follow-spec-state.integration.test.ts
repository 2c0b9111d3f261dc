import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { cancelSpec } from "@/lib/specs/cancel-spec";
import { finishSpecExecution } from "@/lib/specs/finish-spec-execution";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import { recordingEngine } from "@/lib/specs/testing/pipeline-fixtures";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  setJobEngine(undefined);
  await database?.drop();
});
beforeEach(() => {
  setJobEngine(recordingEngine());
});

const statusOf = async (ticketId: string) =>
  (await db().ticket.findUniqueOrThrow({ where: { id: ticketId } })).status;

/** A started spec whose task graph is approved and whose every task is done. */
async function executedSpec(specId: string) {
  await db().spec.update({ where: { id: specId }, data: { state: "EXECUTING" } });
  const spec = await db().spec.findUniqueOrThrow({ where: { id: specId } });
  await db().task.create({
    data: {
      orgId: spec.orgId,
      projectId: spec.projectId,
      specId,
      key: "1",
      title: "The work",
      status: "DONE",
    },
  });
  return spec;
}

describe("a ticket follows its spec", () => {
  it("is in progress once its spec starts, and done when a local project's spec is done", async () => {
    const { actor } = await createUserWithOrg(db());
    const { ticket } = await createProjectWithTicket(db(), actor);
    expect(await statusOf(ticket.id)).toBe("OPEN");
    const spec = await startTicketSpec(db(), { actor, input: { ticketId: ticket.id } });
    expect(await statusOf(ticket.id)).toBe("IN_PROGRESS");

    await executedSpec(spec.id);
    expect(await finishSpecExecution(db(), { orgId: actor.orgId, specId: spec.id })).toBe(true);
    const done = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(done.status).toBe("DONE");
    expect(done.closedAt).not.toBeNull();
    const moves = await db().activityEvent.findMany({
      where: { ticketId: ticket.id, type: "ticket.updated" },
      orderBy: { seq: "asc" },
      select: { data: true, actorKind: true },
    });
    expect(moves.map((move) => move.data)).toMatchObject([
      { from: "OPEN", to: "IN_PROGRESS" },
      { from: "IN_PROGRESS", to: "DONE" },
    ]);
    expect(moves.every((move) => move.actorKind === "SYSTEM")).toBe(true);
  });

  it("waits for the pull request on a GitHub project", async () => {
    const { actor } = await createUserWithOrg(db());
    const { project, ticket } = await createProjectWithTicket(db(), actor);
    await db().project.update({
      where: { id: project.id },
      data: { repoKind: "GITHUB", githubRepoFullName: "acme/web" },
    });
    const spec = await startTicketSpec(db(), { actor, input: { ticketId: ticket.id } });
    await executedSpec(spec.id);
    await finishSpecExecution(db(), { orgId: actor.orgId, specId: spec.id });
    expect(await statusOf(ticket.id)).toBe("IN_PROGRESS");
  });

  it("is open again when its only spec is cancelled, and a closed ticket stays closed", async () => {
    const { actor } = await createUserWithOrg(db());
    const { ticket } = await createProjectWithTicket(db(), actor);
    const first = await startTicketSpec(db(), { actor, input: { ticketId: ticket.id } });
    const second = await startTicketSpec(db(), { actor, input: { ticketId: ticket.id } });
    await cancelSpec(db(), { actor, input: { specId: first.id } });
    expect(await statusOf(ticket.id)).toBe("IN_PROGRESS");
    await cancelSpec(db(), { actor, input: { specId: second.id } });
    expect(await statusOf(ticket.id)).toBe("OPEN");

    await db().ticket.update({ where: { id: ticket.id }, data: { status: "CLOSED" } });
    await startTicketSpec(db(), { actor, input: { ticketId: ticket.id } });
    expect(await statusOf(ticket.id)).toBe("CLOSED");
  });
});
