// The phase function's last line of defence: an error that is not a model refusal is
// retried by the engine, and when the retries run out the spec fails visibly (retryable
// by a person) instead of staying "running" forever.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setLlmProvider } from "@/lib/agents/get-llm-provider";
import type { LlmProvider } from "@/lib/agents/llm-provider";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { phaseRunId } from "@/lib/specs/phase-event";
import { memoSteps, recordingEngine, specRunning } from "@/lib/specs/testing/pipeline-fixtures";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { runSpecPhaseFunction } from "./run-spec-phase";

const brokenProvider: LlmProvider = {
  name: "offline",
  generateStructured: async () => {
    throw new Error("connection to the database was lost");
  },
};

describe("run-spec-phase when its retries run out", () => {
  let database: TestDatabase;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  beforeAll(async () => {
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    setJobEngine(recordingEngine());
  });
  afterAll(async () => {
    setLlmProvider(undefined);
    setJobEngine(undefined);
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("rethrows on early attempts, then fails the spec with a reason on the last", async () => {
    const { actor } = await createUserWithOrg(database.db, "Ada");
    const { ticket } = await createProjectWithTicket(database.db, actor);
    const request = await specRunning(database.db, {
      actor,
      ticketId: ticket.id,
      phase: "REQUIREMENTS",
    });
    setLlmProvider(brokenProvider);
    const event = {
      name: runSpecPhaseFunction.config.event,
      data: request,
      id: phaseRunId(request),
    };

    await expect(
      runSpecPhaseFunction.handler({ event, step: memoSteps(), attempt: 0 }),
    ).rejects.toThrow("connection to the database was lost");
    expect(
      (await database.db.spec.findUniqueOrThrow({ where: { id: request.specId } })).state,
    ).toBe("REQUIREMENTS_RUNNING");

    const retries = runSpecPhaseFunction.config.retries ?? 0;
    await runSpecPhaseFunction.handler({ event, step: memoSteps(), attempt: retries });
    const spec = await database.db.spec.findUniqueOrThrow({ where: { id: request.specId } });
    expect(spec).toMatchObject({ state: "FAILED", failedPhase: "REQUIREMENTS" });
    expect(spec.failureReason).toMatch(/internal error stopped this phase/);
  });
});
