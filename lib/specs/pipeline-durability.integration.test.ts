// The spec phase function on DBOS, as in production: events go through the DBOS client, a
// separate worker process runs the real function (inngest/functions.ts) and calls Claude through
// the real SDK, here pointed at a fake Messages API running in this process. The worker is killed
// with SIGKILL in the middle of a model call and started again.
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { functions } from "@/inngest/functions";
import { runSpecPhaseFunction } from "@/inngest/run-spec-phase";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import {
  createDbosSender,
  DBOS_SYSTEM_SCHEMA,
  type DbosSender,
  dbosWorkflowId,
} from "@/lib/jobs/dbos-engine";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { type FixtureWorker, startFixtureWorker } from "@/lib/jobs/testing/fixture-process";
import type { Actor } from "@/lib/orgs/roles";
import { phaseRunId, type SpecPhaseRequest } from "@/lib/specs/phase-event";
import { requestPhaseRun } from "@/lib/specs/request-phase-run";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import {
  cyclicTasks,
  promptOf,
  recordingEngine,
  requirementsAnswer,
  specRunning,
  toolUse,
  validTasks,
} from "@/lib/specs/testing/pipeline-fixtures";
import { type FakeAnthropic, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { createTicket } from "@/lib/tickets/create-ticket";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

const PIPELINE_WORKER = fileURLToPath(new URL("./testing/pipeline-worker.ts", import.meta.url));

let database: TestDatabase;
let pool: pg.Pool;
let fake: FakeAnthropic;
let sender: DbosSender;
let worker: FixtureWorker | undefined;
let actor: Actor;
let projectId: string;

const startWorker = () =>
  startFixtureWorker(database.url, {
    script: PIPELINE_WORKER,
    env: {
      DATABASE_URL: database.url,
      ANTHROPIC_API_KEY: fake.apiKey,
      ANTHROPIC_BASE_URL: fake.url,
      LOG_LEVEL: "warn",
    },
  });

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), startFakeAnthropic()]);
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  sender = createDbosSender({ databaseUrl: database.url, functions });
  const setup = async () => {
    const owner = await createUserWithOrg(database.db, "Ada");
    actor = owner.actor;
    projectId = (await createProjectWithTicket(database.db, actor)).project.id;
  };
  [worker] = await Promise.all([startWorker(), setup()]);
});

afterAll(async () => {
  setJobEngine(undefined);
  await worker?.stop();
  await sender?.close();
  await pool?.end();
  await fake?.close();
  await database?.drop();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.setDefault(undefined);
});

async function newTicket(title: string) {
  return (await createTicket(database.db, { actor, input: { projectId, title } })).id;
}

const runIdOf = (request: SpecPhaseRequest) =>
  dbosWorkflowId(runSpecPhaseFunction.config.id, phaseRunId(request));

async function workflows(specId: string) {
  const { rows } = await pool.query<{ workflow_uuid: string; status: string }>(
    `SELECT workflow_uuid, status FROM "${DBOS_SYSTEM_SCHEMA}".workflow_status
      WHERE workflow_uuid LIKE $1`,
    [`%${specId}%`],
  );
  return rows;
}

async function stepsRecorded(runId: string): Promise<string[]> {
  const { rows } = await pool.query<{ function_name: string }>(
    `SELECT function_name FROM "${DBOS_SYSTEM_SCHEMA}".operation_outputs
      WHERE workflow_uuid = $1 ORDER BY function_id`,
    [runId],
  );
  return rows.map((r) => r.function_name);
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms\n${worker?.output() ?? ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("spec phases on DBOS", () => {
  it("resumes a phase after kill -9 without repeating the model calls that finished", async () => {
    setJobEngine(recordingEngine()); // the earlier phases run here, offline
    const request = await specRunning(database.db, {
      actor,
      ticketId: await newTicket("Add search"),
      phase: "TASKS",
    });
    // Call 1 answers a cyclic graph, so the phase asks again (the repair); that call and any
    // later one are held open until the test releases them.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.enqueue(toolUse(cyclicTasks));
    fake.setDefault({ kind: "wait", until: released, reply: toolUse(validTasks) });

    setJobEngine(sender);
    const { runId } = await requestPhaseRun(request);
    expect(runId).toBe(runIdOf(request));
    await waitUntil(() => fake.requests.length === 2, "the repair call");
    expect(promptOf(fake.requests[1]!.body)).toContain("Dependency cycle");

    await worker!.crash();
    expect(await workflows(request.specId)).toEqual([{ workflow_uuid: runId, status: "PENDING" }]);
    worker = await startWorker();
    // The recovered run answers "load" and "generate" from DBOS and re-sends only the repair.
    await waitUntil(() => fake.requests.length === 3, "the re-sent repair call");
    release();

    expect(await sender.getResult(runId, { timeoutMs: 20_000 })).toEqual({ saved: 1, next: null });
    const prompts = fake.requests.map((r) => promptOf(r.body));
    expect(prompts.filter((p) => !p.includes("had these problems"))).toHaveLength(1);
    expect(prompts[2]).toBe(prompts[1]);
    expect(await stepsRecorded(runId)).toEqual(["load", "generate", "repair-1", "save"]);
    const spec = await database.db.spec.findUniqueOrThrow({ where: { id: request.specId } });
    expect(spec.state).toBe("TASKS_REVIEW");
    const artifacts = await database.db.specArtifact.findMany({
      where: { specId: request.specId, phase: "TASKS" },
      select: { version: true, content: true },
    });
    expect(artifacts).toEqual([{ version: 1, content: validTasks }]);
    // Billed: the first call and the repair that was answered; the cut-off call had no answer.
    expect(
      await database.db.usageRecord.count({
        where: { specId: request.specId, role: "task-writer" },
      }),
    ).toBe(2);
  });

  it("starts one run when the same phase event is sent twice", async () => {
    setJobEngine(sender);
    fake.enqueue(toolUse(requirementsAnswer));
    const spec = await startTicketSpec(database.db, {
      actor,
      input: { ticketId: await newTicket("Add filters") },
    });
    const request: SpecPhaseRequest = {
      orgId: actor.orgId,
      specId: spec.id,
      phase: "REQUIREMENTS",
      version: 1,
    };

    const again = await Promise.all([requestPhaseRun(request), requestPhaseRun(request)]);
    expect(await sender.getResult(runIdOf(request))).toEqual({ saved: 1, next: null });
    const late = await requestPhaseRun(request);

    expect([...again, late].map((r) => r.runId)).toEqual(Array(3).fill(runIdOf(request)));
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrongly started run
    expect(await workflows(spec.id)).toEqual([
      { workflow_uuid: runIdOf(request), status: "SUCCESS" },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(
      await database.db.specArtifact.count({ where: { specId: spec.id, phase: "REQUIREMENTS" } }),
    ).toBe(1);
  });
});
