// A DBOS worker running the real background functions (inngest/functions.ts), as its own process
// so that a test can kill -9 it in the middle of a phase and start it again. Configured like the
// production worker, through the environment: DATABASE_URL, and ANTHROPIC_API_KEY with
// ANTHROPIC_BASE_URL pointing at the test's fake Messages API. Started by startFixtureWorker
// (lib/jobs/testing/fixture-process.ts) with `script` set to this file; prints READY_MARKER once
// DBOS is launched and its queues are registered.
import { functions } from "@/inngest/functions";
import { env } from "@/lib/env";
import { launchDbosWorker } from "@/lib/jobs/dbos-engine";
import { READY_MARKER } from "@/lib/jobs/testing/fixture-process";
import { childLogger } from "@/lib/logger";

const databaseUrl = env().DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write("pipeline-worker.ts needs DATABASE_URL\n");
  process.exit(2);
}

const worker = await launchDbosWorker({
  databaseUrl,
  functions,
  retryDelayMs: 50, // tests should not wait a second per retry
  logger: childLogger({ module: "dbos-pipeline-fixture" }),
});
process.stdout.write(`${READY_MARKER}\n`);

const stop = () => {
  worker.shutdown().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
