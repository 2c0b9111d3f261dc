// The built-in agent runner as its own process, configured like worker/main.ts, so that a test
// can kill -9 it in the middle of a task. Started by startFixtureWorker
// (lib/jobs/testing/fixture-process.ts) with `script` set to this file and the database URL as
// its argument; WORKER_ID, WORKTREES_ROOT, LEASE_MS and HEARTBEAT_MS come from the environment.
// Prints READY_MARKER once the executor is polling.
import { createDb } from "@/lib/db/client";
import { startExecutor } from "@/lib/execution/start-executor";
import { READY_MARKER } from "@/lib/jobs/testing/fixture-process";

const [databaseUrl] = process.argv.slice(2);
const { WORKER_ID, WORKTREES_ROOT, LEASE_MS, HEARTBEAT_MS } = process.env;
if (!databaseUrl || !WORKER_ID || !WORKTREES_ROOT) {
  process.stderr.write("executor-worker.ts needs <databaseUrl>, WORKER_ID and WORKTREES_ROOT\n");
  process.exit(2);
}

const db = createDb(databaseUrl);
const executor = startExecutor(db, {
  workerId: WORKER_ID,
  worktreesRoot: WORKTREES_ROOT,
  concurrency: 1,
  pollMs: 100,
  leaseMs: Number(LEASE_MS ?? 90_000),
  heartbeatMs: Number(HEARTBEAT_MS ?? 30_000),
});
process.stdout.write(`${READY_MARKER}\n`);

const stop = () => {
  executor
    .stop()
    .then(() => db.$disconnect())
    .finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
