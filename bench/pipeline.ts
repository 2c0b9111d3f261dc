// npm run bench:pipeline [-- --specs 100 --throughput 200 --concurrency 10]
// The spec pipeline on DBOS with the offline provider, in one process against a
// throw-away embedded Postgres:
//  1. approval -> next phase's first model call (p50, p99 over N specs), beside the
//     start-to-finish time of an empty DBOS workflow measured in the same run, as a ratio;
//  2. specs per minute from ticket to approved tasks with auto-approve, M specs at
//     concurrency C (spread over two organizations, since each has a per-org limit).
// Prints figures and ratios to targets; never asserts, always exits 0.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    specs: { type: "string", default: "100" },
    throughput: { type: "string", default: "200" },
    concurrency: { type: "string", default: "10" },
  },
});
const latencySpecs = Number(values.specs);
const throughputSpecs = Number(values.throughput);
const concurrency = Number(values.concurrency);
const RATIO_TARGET = 3;

const { startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
const { migrate } = await import("@/lib/db/migrate");

const dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-bench-pipeline-"));
const server = await startEmbeddedPostgres({ dataDir, durable: false });
await migrate({
  url: server.url,
  migrationsDir: "prisma/migrations",
  log: { debug() {}, info() {}, warn: console.warn, error: console.error },
});
// The pipeline's modules read the database URL from the environment, as in the worker.
process.env.DATABASE_URL = server.url;
process.env.LOG_LEVEL ??= "warn";
(await import("@/lib/env")).resetEnvForTests();

const { createDb } = await import("@/lib/db/client");
const { defineJobFunction } = await import("@/lib/jobs/port");
const { launchDbosWorker, createDbosSender } = await import("@/lib/jobs/dbos-engine");
const { functions } = await import("@/inngest/functions");
const { setLlmProvider, getLlmProvider } = await import("@/lib/agents/get-llm-provider");
const { approvePhase } = await import("@/lib/specs/approve-phase");
const { startTicketSpec } = await import("@/lib/specs/start-ticket-spec");
const { createTicket } = await import("@/lib/tickets/create-ticket");
const { createUserWithOrg } = await import("@/prisma/factories");
const { createProject } = await import("@/lib/projects/create-project");
const { makeGitRepo } = await import("@/lib/testing/git-repo");

const db = createDb(server.url);

// The offline provider, wrapped to note when each spec's phase gets its first model call.
const offline = await getLlmProvider();
const firstCall = new Map<string, number>();
const waiters = new Map<string, () => void>();
setLlmProvider({
  name: offline.name,
  generateStructured(request) {
    const ticket = (request.context.ticket as { title?: string } | undefined)?.title ?? "";
    const key = `${ticket}:${request.purpose}`;
    if (!firstCall.has(key)) {
      firstCall.set(key, performance.now());
      waiters.get(key)?.();
    }
    return offline.generateStructured(request);
  },
});

const emptyWorkflow = defineJobFunction<{ n: number }>(
  { id: "bench-empty", event: "bench/empty" },
  async () => null,
);
const worker = await launchDbosWorker({
  databaseUrl: server.url,
  functions: [...functions, emptyWorkflow],
});
const sender = createDbosSender({
  databaseUrl: server.url,
  functions: [...functions, emptyWorkflow],
});

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

async function waitForState(specId: string, states: string[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spec = await db.spec.findUniqueOrThrow({
      where: { id: specId },
      select: { state: true, failureReason: true },
    });
    if (states.includes(spec.state)) return spec.state;
    if (spec.state === "FAILED") throw new Error(`spec failed: ${spec.failureReason}`);
    if (Date.now() > deadline) throw new Error(`spec stuck in ${spec.state}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

try {
  // 1a. Empty DBOS workflow: enqueue through the client, wait for its result.
  const empty: number[] = [];
  for (let n = 0; n < latencySpecs; n++) {
    const started = performance.now();
    const { runId } = await sender.send({ name: "bench/empty", data: { n }, id: `empty-${n}` });
    await sender.getResult(runId, { pollingIntervalMs: 5 });
    empty.push(performance.now() - started);
  }

  // 1b. Approval -> first model call of the next phase.
  const { actor } = await createUserWithOrg(db, "Bench");
  const repo = makeGitRepo();
  const project = await createProject(db, { actor, input: { name: "Bench", localPath: repo } });
  const handoff: number[] = [];
  for (let n = 0; n < latencySpecs; n++) {
    const title = `Latency spec ${n}`;
    const ticket = await createTicket(db, {
      actor,
      input: { projectId: project.id, title, description: "Export the board as CSV." },
    });
    const spec = await startTicketSpec(db, { actor, input: { ticketId: ticket.id } });
    await waitForState(spec.id, ["REQUIREMENTS_REVIEW"]);
    const key = `${title}:design`;
    const called = new Promise<void>((resolve) => waiters.set(key, resolve));
    const approvedAt = performance.now();
    await approvePhase(db, { actor, input: { specId: spec.id, phase: "REQUIREMENTS" } });
    await called;
    handoff.push((firstCall.get(key) ?? Number.NaN) - approvedAt);
    waiters.delete(key);
  }

  // 2. Throughput with auto-approve, C specs in flight, over two organizations.
  const lanes = await Promise.all(
    ["AutoA", "AutoB"].map(async (name) => {
      const owner = await createUserWithOrg(db, name);
      const p = await createProject(db, {
        actor: owner.actor,
        input: {
          name,
          localPath: repo,
          approvalRequirements: "AUTO",
          approvalDesign: "AUTO",
          approvalTasks: "AUTO",
        },
      });
      return { actor: owner.actor, projectId: p.id };
    }),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, laneIndex) => {
      const lane = lanes[laneIndex % lanes.length]!;
      while (next < throughputSpecs) {
        const n = next++;
        const ticket = await createTicket(db, {
          actor: lane.actor,
          input: {
            projectId: lane.projectId,
            title: `Throughput spec ${n}`,
            description: "Add search to the board.",
          },
        });
        const spec = await startTicketSpec(db, {
          actor: lane.actor,
          input: { ticketId: ticket.id },
        });
        await waitForState(spec.id, ["EXECUTING"], 300_000);
      }
    }),
  );
  const minutes = (performance.now() - started) / 60_000;

  const emptyP50 = percentile(empty, 50);
  const handoffP50 = percentile(handoff, 50);
  const fmt = (ms: number) => ms.toFixed(1);
  console.log(`bench/pipeline (offline provider, DBOS, ${latencySpecs} specs; 2 cores)`);
  console.log(`empty_workflow_ms p50 ${fmt(emptyP50)} p99 ${fmt(percentile(empty, 99))}`);
  console.log(
    `approval_to_next_model_call_ms p50 ${fmt(handoffP50)} p99 ${fmt(percentile(handoff, 99))}`,
  );
  const ratio = handoffP50 / emptyP50;
  console.log(
    `ratio_p50 ${ratio.toFixed(2)} (target <= ${RATIO_TARGET}, ${ratio <= RATIO_TARGET ? "met" : "not met"})`,
  );
  console.log(
    `specs_per_minute ${(throughputSpecs / minutes).toFixed(1)} (${throughputSpecs} specs ticket -> approved tasks, auto-approve, concurrency ${concurrency}, ${(minutes * 60).toFixed(1)} s)`,
  );
} finally {
  await sender.close();
  await worker.shutdown({ graceMs: 1000 });
  await db.$disconnect();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
