// The DBOS engine end to end: events sent through the client sender (as the web server sends
// them) are run by a separate worker process (as in production), against a real Postgres.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyDatabase, type EmptyDatabase } from "@/lib/db/test-database";
import { createDbosSender, DBOS_SYSTEM_SCHEMA, type DbosSender } from "@/lib/jobs/dbos-engine";
import {
  FIXTURE_SCHEMA_SQL,
  fixtureFunctions,
  type OrgData,
  type RunData,
} from "@/lib/jobs/testing/fixture-functions";
import { type FixtureWorker, startFixtureWorker } from "@/lib/jobs/testing/fixture-process";

let database: EmptyDatabase;
let pool: pg.Pool;
let sender: DbosSender;
let worker: FixtureWorker | undefined;

beforeAll(async () => {
  database = await createEmptyDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(FIXTURE_SCHEMA_SQL);
  sender = createDbosSender({
    databaseUrl: database.url,
    functions: fixtureFunctions(database.url),
  });
  worker = await startFixtureWorker(database.url);
});

afterAll(async () => {
  await worker?.stop();
  await sender?.close();
  await pool?.end();
  await database?.drop();
});

/** How many times each labelled step body ran for `run`. */
async function executions(run: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ label: string; n: number }>(
    "SELECT label, count(*)::int AS n FROM job_test_log WHERE run = $1 GROUP BY label",
    [run],
  );
  return Object.fromEntries(rows.map((r) => [r.label, r.n]));
}

async function workflowStatus(runId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ status: string }>(
    `SELECT status FROM "${DBOS_SYSTEM_SCHEMA}".workflow_status WHERE workflow_uuid = $1`,
    [runId],
  );
  return rows[0]?.status;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("DBOS engine", () => {
  it("runs the steps and stores their results (as JSON)", async () => {
    const { runId } = await sender.send<RunData>({
      name: "fixture/steps",
      data: { run: "steps-1" },
      id: "steps-1",
    });

    const result = await sender.getResult(runId);

    expect(result).toEqual({ a: { n: 1, at: "1970-01-01T00:00:00.000Z" }, b: 2, c: "2-done" });
    expect(await executions("steps-1")).toEqual({ a: 1, b: 1, c: 1 });
    const { rows } = await pool.query<{ function_name: string; output: string | null }>(
      `SELECT function_name, output FROM "${DBOS_SYSTEM_SCHEMA}".operation_outputs
        WHERE workflow_uuid = $1 ORDER BY function_id`,
      [runId],
    );
    expect(rows.map((r) => r.function_name)).toEqual(["a", "b", "c"]);
    expect(rows.every((r) => r.output !== null)).toBe(true);
  });

  it("starts one run when the same event id is sent twice", async () => {
    const event = { name: "fixture/steps", data: { run: "dup-1" }, id: "dup-1" };

    const [first, second] = await Promise.all([sender.send(event), sender.send(event)]);
    await sender.getResult(first.runId);
    const third = await sender.send(event); // after the run finished, too

    expect(second.runId).toBe(first.runId);
    expect(third.runId).toBe(first.runId);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrongly started run
    expect(await executions("dup-1")).toEqual({ a: 1, b: 1, c: 1 });
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${DBOS_SYSTEM_SCHEMA}".workflow_status
        WHERE workflow_uuid LIKE '%dup-1%'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("retries a step that throws until it succeeds", async () => {
    const { runId } = await sender.send<RunData>({
      name: "fixture/flaky-step",
      data: { run: "flaky-1" },
      id: "flaky-1",
    });

    expect(await sender.getResult(runId)).toEqual({ calls: 3 });
    expect(await executions("flaky-1")).toEqual({ call: 3 });
  });

  it("re-runs a handler that throws outside a step without re-running finished steps", async () => {
    const { runId } = await sender.send<RunData>({
      name: "fixture/flaky-handler",
      data: { run: "flaky-handler-1" },
      id: "flaky-handler-1",
    });

    expect(await sender.getResult(runId)).toEqual({ attempt: 1 });
    expect(await executions("flaky-handler-1")).toEqual({ before: 1, after: 1 });
  });

  it("does not retry a PermanentJobError", async () => {
    const { runId } = await sender.send<RunData>({
      name: "fixture/permanent",
      data: { run: "permanent-1" },
      id: "permanent-1",
    });

    await expect(sender.getResult(runId)).rejects.toThrow("the input can never work");
    expect(await workflowStatus(runId)).toBe("ERROR");
    expect(await executions("permanent-1")).toEqual({ call: 1 });
  });

  it("runs one event per organization at a time, and organizations in parallel", async () => {
    const send = (run: string, orgId: string) =>
      sender.send<OrgData>({ name: "fixture/per-org", data: { run, orgId, ms: 600 }, id: run });
    const runs = await Promise.all([send("org-a-1", "org_a"), send("org-a-2", "org_a")]);
    runs.push(await send("org-b-1", "org_b"));

    await Promise.all(runs.map(({ runId }) => sender.getResult(runId)));

    const { rows } = await pool.query<{ run: string; started: number; ended: number }>(
      `SELECT run, extract(epoch FROM started_at) * 1000 AS started,
              extract(epoch FROM ended_at) * 1000 AS ended
         FROM job_test_interval WHERE run LIKE 'org-%'`,
    );
    const at = Object.fromEntries(rows.map((r) => [r.run, r]));
    const overlap = (x: string, y: string) =>
      Number(at[x]!.started) < Number(at[y]!.ended) &&
      Number(at[y]!.started) < Number(at[x]!.ended);
    expect(rows).toHaveLength(3);
    expect(overlap("org-a-1", "org-a-2")).toBe(false);
    expect(overlap("org-b-1", "org-a-1") || overlap("org-b-1", "org-a-2")).toBe(true);
  });

  it("finishes a workflow after kill -9 of its worker without re-running finished steps", async () => {
    const { runId } = await sender.send<RunData>({
      name: "fixture/durable",
      data: { run: "durable-1" },
      id: "durable-1",
    });
    // Step 2 of 4 is running (and blocked on the gate) when the worker dies.
    await waitUntil(async () => (await executions("durable-1")).s2 === 1);
    await worker!.crash();
    expect(await workflowStatus(runId)).toBe("PENDING");
    expect(await executions("durable-1")).toEqual({ s1: 1, s2: 1 });

    await pool.query("INSERT INTO job_test_gate (run) VALUES ('durable-1')");
    worker = await startFixtureWorker(database.url);

    // s1 finished before the crash and is not run again; s2 was cut off mid-step and runs again
    // (steps are at-least-once); s3 and s4 run once.
    expect(await sender.getResult(runId, { timeoutMs: 30_000 })).toEqual([1, 2, 1, 1]);
    expect(await executions("durable-1")).toEqual({ s1: 1, s2: 2, s3: 1, s4: 1 });
    expect(await workflowStatus(runId)).toBe("SUCCESS");
  });
});
