// A DBOS worker running the fixture functions, as its own process so that a test can kill -9
// it mid-workflow and start it again. Usage (what startFixtureWorker runs):
//   node --conditions=react-server --import tsx lib/jobs/testing/fixture-worker.ts <databaseUrl>
// Prints FIXTURE_WORKER_READY on stdout once DBOS is launched and its queues are registered.
import { launchDbosWorker } from "@/lib/jobs/dbos-engine";
import { fixtureFunctions } from "@/lib/jobs/testing/fixture-functions";
import { READY_MARKER } from "@/lib/jobs/testing/fixture-process";
import { childLogger } from "@/lib/logger";

const databaseUrl = process.argv[2];
if (!databaseUrl) {
  process.stderr.write("usage: fixture-worker.ts <databaseUrl>\n");
  process.exit(2);
}

const worker = await launchDbosWorker({
  databaseUrl,
  functions: fixtureFunctions(databaseUrl),
  retryDelayMs: 50, // tests should not wait a second per retry
  logger: childLogger({ module: "dbos-fixture" }),
});
process.stdout.write(`${READY_MARKER}\n`);

const stop = () => {
  worker.shutdown().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
