// Job functions for the engine tests. They record what they do in plain tables of the test
// database, outside any engine, so a test can count how often each step body really ran.
// The test process imports them for their configs (queue names, partition keys); only the
// fixture worker (fixture-worker.ts) runs their handlers.
import pg from "pg";
import { type AnyJobFunction, defineJobFunction, PermanentJobError } from "@/lib/jobs/port";

export const FIXTURE_SCHEMA_SQL = `
  CREATE TABLE IF NOT EXISTS job_test_log (
    id bigserial PRIMARY KEY,
    run text NOT NULL,
    label text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
  );
  CREATE TABLE IF NOT EXISTS job_test_interval (
    run text PRIMARY KEY,
    org text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz
  );
  CREATE TABLE IF NOT EXISTS job_test_gate (run text PRIMARY KEY);
`;

export interface RunData {
  run: string;
}
export interface OrgData extends RunData {
  orgId: string;
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fixture functions, writing their side effects to `databaseUrl`. */
export function fixtureFunctions(databaseUrl: string): AnyJobFunction[] {
  let pool: pg.Pool | undefined;
  const db = () => {
    pool ??= new pg.Pool({ connectionString: databaseUrl, max: 4 });
    return pool;
  };
  const log = async (run: string, label: string): Promise<number> => {
    await db().query("INSERT INTO job_test_log (run, label) VALUES ($1, $2)", [run, label]);
    const { rows } = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM job_test_log WHERE run = $1 AND label = $2",
      [run, label],
    );
    return rows[0]!.n;
  };

  const steps = defineJobFunction<RunData>(
    { id: "fixture-steps", event: "fixture/steps" },
    async ({ event, step }) => {
      const a = await step.run("a", async () => {
        await log(event.data.run, "a");
        return { n: 1, at: new Date(0) };
      });
      const b = await step.run("b", async () => {
        await log(event.data.run, "b");
        return a.n + 1;
      });
      const c = await step.run("c", async () => {
        await log(event.data.run, "c");
        return `${b}-done`;
      });
      return { a, b, c };
    },
  );

  const flakyStep = defineJobFunction<RunData>(
    { id: "fixture-flaky-step", event: "fixture/flaky-step", retries: 3 },
    async ({ event, step }) => {
      const calls = await step.run("call", async () => {
        const n = await log(event.data.run, "call");
        if (n < 3) throw new Error(`transient failure ${n}`);
        return n;
      });
      return { calls };
    },
  );

  const flakyHandler = defineJobFunction<RunData>(
    { id: "fixture-flaky-handler", event: "fixture/flaky-handler", retries: 2 },
    async ({ event, step, attempt }) => {
      await step.run("before", () => log(event.data.run, "before"));
      if (attempt === 0) throw new Error("transient failure outside any step");
      await step.run("after", () => log(event.data.run, "after"));
      return { attempt };
    },
  );

  const permanent = defineJobFunction<RunData>(
    { id: "fixture-permanent", event: "fixture/permanent", retries: 3 },
    async ({ event, step }) => {
      await step.run("call", async () => {
        await log(event.data.run, "call");
        throw new PermanentJobError("the input can never work");
      });
      return "unreachable";
    },
  );

  const perOrg = defineJobFunction<OrgData>(
    {
      id: "fixture-per-org",
      event: "fixture/per-org",
      retries: 0,
      concurrency: { key: (data) => data.orgId, limit: 1 },
    },
    async ({ event, step }) => {
      const { run, orgId, ms } = event.data;
      await step.run("work", async () => {
        await db().query(
          "INSERT INTO job_test_interval (run, org, started_at) VALUES ($1, $2, clock_timestamp())",
          [run, orgId],
        );
        await sleep(ms);
        await db().query(
          "UPDATE job_test_interval SET ended_at = clock_timestamp() WHERE run = $1",
          [run],
        );
        return null;
      });
      return run;
    },
  );

  // Step 2 of 4 blocks until the test inserts a gate row, so the test can kill the worker
  // while the workflow is known to be inside step 2.
  const durable = defineJobFunction<RunData>(
    { id: "fixture-durable", event: "fixture/durable", retries: 0 },
    async ({ event, step }) => {
      const { run } = event.data;
      const s1 = await step.run("s1", () => log(run, "s1"));
      const s2 = await step.run("s2", async () => {
        const n = await log(run, "s2");
        for (;;) {
          const { rowCount } = await db().query("SELECT 1 FROM job_test_gate WHERE run = $1", [
            run,
          ]);
          if (rowCount) return n;
          await sleep(50);
        }
      });
      const s3 = await step.run("s3", () => log(run, "s3"));
      const s4 = await step.run("s4", () => log(run, "s4"));
      return [s1, s2, s3, s4];
    },
  );

  return [steps, flakyStep, flakyHandler, permanent, perOrg, durable];
}
