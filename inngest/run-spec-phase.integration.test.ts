// One background function, two engines: the spec phase function run by Inngest's real execution
// loop (@inngest/test) and by DBOS (launched in this process) writes the same artifacts for the
// same ticket. An integration test because the function works on the database (db(), so this
// file points DATABASE_URL at its test database).
import { InngestTestEngine } from "@inngest/test";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSpecPhaseFunction } from "@/inngest/run-spec-phase";
import { setLlmProvider } from "@/lib/agents/get-llm-provider";
import { db } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import {
  createDbosSender,
  type DbosSender,
  type DbosWorker,
  dbosWorkflowId,
  launchDbosWorker,
} from "@/lib/jobs/dbos-engine";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import {
  CONCURRENCY_KEYS_FIELD,
  createInngestClient,
  toInngestFunction,
} from "@/lib/jobs/inngest-engine";
import type { Actor } from "@/lib/orgs/roles";
import { approvePhase } from "@/lib/specs/approve-phase";
import { phaseRunId, type SpecPhaseRequest, specPhaseRequested } from "@/lib/specs/phase-event";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import { phaseOrder } from "@/lib/specs/state-machine";
import { offlineProvider, recordingEngine } from "@/lib/specs/testing/pipeline-fixtures";
import { createTicket } from "@/lib/tickets/create-ticket";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const savedDatabaseUrl = process.env.DATABASE_URL;

let database: TestDatabase;
let actor: Actor;
let projectId: string;
let dbos: DbosWorker | undefined;
let sender: DbosSender | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  resetEnvForTests();
  setLlmProvider(offlineProvider());
  actor = (await createUserWithOrg(database.db, "Ada")).actor;
  projectId = (await createProjectWithTicket(database.db, actor)).project.id;
});

afterAll(async () => {
  setJobEngine(undefined);
  setLlmProvider(undefined);
  await dbos?.shutdown();
  await sender?.close();
  await db().$disconnect();
  if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedDatabaseUrl;
  resetEnvForTests();
  await database?.drop();
});

/** The same ticket each time: the offline authors write from the ticket alone. */
async function fixedTicket() {
  const ticket = await createTicket(database.db, {
    actor,
    input: {
      projectId,
      title: "Export the board as CSV",
      description:
        "Project leads can export the board as a CSV file.\n- One row per ticket\n- Exports over 10k tickets are refused",
      type: "FEATURE",
      labels: ["export"],
    },
  });
  return ticket.id;
}

/**
 * Starts a spec on a fresh copy of the ticket and takes it through every phase: `run` runs each
 * requested phase on an engine, a person approves it.
 */
async function throughEveryPhase(run: (request: SpecPhaseRequest) => Promise<void>) {
  const spec = await startTicketSpec(database.db, {
    actor,
    input: { ticketId: await fixedTicket() },
  });
  let request: SpecPhaseRequest | null = {
    orgId: actor.orgId,
    specId: spec.id,
    phase: "REQUIREMENTS",
    version: 1,
  };
  for (const phase of phaseOrder) {
    expect(request).toMatchObject({ phase, version: 1 });
    await run(request!);
    ({ next: request } = await approvePhase(database.db, {
      actor,
      input: { specId: spec.id, phase },
    }));
  }
  expect(request).toBeNull();
  const { state } = await database.db.spec.findUniqueOrThrow({ where: { id: spec.id } });
  expect(state).toBe("EXECUTING");
  return spec.id;
}

async function contentByPhase(specId: string): Promise<Record<SpecPhase, unknown>> {
  const rows = await database.db.specArtifact.findMany({
    where: { specId, status: "APPROVED" },
    select: { phase: true, content: true },
  });
  return Object.fromEntries(rows.map((r) => [r.phase, r.content])) as Record<SpecPhase, unknown>;
}

async function taskGraph(specId: string) {
  const tasks = await database.db.task.findMany({
    where: { specId },
    orderBy: { rank: "asc" },
    select: {
      key: true,
      title: true,
      dependsOn: { select: { dependsOn: { select: { key: true } } } },
    },
  });
  return tasks.map((t) => ({
    key: t.key,
    title: t.title,
    dependsOn: t.dependsOn.map((d) => d.dependsOn.key).sort(),
  }));
}

describe("runSpecPhaseFunction on both engines", () => {
  it("writes identical artifacts for the same ticket on Inngest and on DBOS", async () => {
    // Inngest: the SDK's execution loop, step by step, with the event as the sender shapes it.
    setJobEngine(recordingEngine());
    const inngestFunction = toInngestFunction(
      createInngestClient({ dev: "1", logger: silent }),
      runSpecPhaseFunction,
    );
    const onInngest = await throughEveryPhase(async (request) => {
      // One test engine per run: it memoises steps by id for its whole life, as Inngest does per run.
      const inngest = new InngestTestEngine({ function: inngestFunction });
      const { result, error } = await inngest.execute({
        events: [
          {
            name: specPhaseRequested,
            id: phaseRunId(request),
            data: { ...request, [CONCURRENCY_KEYS_FIELD]: { "run-spec-phase": request.orgId } },
          },
        ],
      });
      expect(error).toBeUndefined();
      expect(result).toEqual({ saved: 1, next: null });
    });

    // DBOS: a worker in this process; approvals enqueue the next phase through the DBOS client.
    dbos = await launchDbosWorker({
      databaseUrl: database.url,
      functions: [runSpecPhaseFunction],
      retryDelayMs: 50,
      logger: pino({ level: "silent" }),
    });
    sender = createDbosSender({ databaseUrl: database.url, functions: [runSpecPhaseFunction] });
    setJobEngine(sender);
    const dbosSender = sender;
    const onDbos = await throughEveryPhase(async (request) => {
      const runId = dbosWorkflowId(runSpecPhaseFunction.config.id, phaseRunId(request));
      expect(await dbosSender.getResult(runId, { timeoutMs: 15_000 })).toEqual({
        saved: 1,
        next: null,
      });
    });

    const [a, b] = [await contentByPhase(onInngest), await contentByPhase(onDbos)];
    expect(Object.keys(a).sort()).toEqual([...phaseOrder].sort());
    expect(JSON.stringify(a.REQUIREMENTS)).toContain("CSV");
    expect(b).toEqual(a);
    const graph = await taskGraph(onInngest);
    expect(graph.length).toBeGreaterThan(1);
    expect(await taskGraph(onDbos)).toEqual(graph);
  });
});
