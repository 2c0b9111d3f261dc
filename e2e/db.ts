// Direct database access for e2e setup: the server under test (playwright.config.ts) keeps its
// embedded Postgres in .test-data/e2e (or uses DATABASE_URL when the run sets one). Tests seed
// rows the UI cannot make quickly (tasks in every status, a running agent, usage) with the same
// fixtures the integration tests use, then drive everything else through the browser, signed
// in through the real form.
import { readFileSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import { neverClaimable } from "@/lib/tasks/testing/board-fixtures";
import { createTaskGraph, createTaskScope, type TaskSeed } from "@/lib/tasks/testing/task-fixtures";

/**
 * The URL of the e2e server's database: DATABASE_URL when the run sets one (the launcher uses
 * it too), else the embedded Postgres the launcher started under `.test-data/e2e`: the port is
 * line 4 of its postmaster.pid, the password beside it.
 */
export function e2eDatabaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dir = path.resolve(".test-data/e2e/postgres");
  const port = readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[3]?.trim();
  if (!port) throw new Error(`no port in ${dir}/postmaster.pid: is the e2e server running?`);
  const password = readFileSync(path.join(dir, "trellis-password"), "utf8").trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/trellis`;
}

/** Runs `work` with a Prisma client on the e2e server's database, then disconnects. */
export async function withE2eDb<T>(work: (db: PrismaClient) => Promise<T>): Promise<T> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** The id of the organization with this slug. */
export async function orgIdOf(db: PrismaClient, slug: string): Promise<string> {
  return (await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
}

export type SeedTask = TaskSeed & { key: string; dependsOn?: readonly string[] };

/** Tasks seeded by {@link seedTasks}: where they live, and their ids by key. */
export interface SeededSpec {
  orgId: string;
  projectId: string;
  specId: string;
  ids: Map<string, string>;
}

async function seedTasksWith(
  db: PrismaClient,
  orgSlug: string,
  tasks: readonly SeedTask[],
  specTitle: string,
): Promise<SeededSpec> {
  const scope = await createTaskScope(db, { orgId: await orgIdOf(db, orgSlug), name: specTitle });
  const ids = await createTaskGraph(
    db,
    scope,
    tasks.map((task) => ({
      // The worker in the e2e server must leave seeded tasks alone.
      notBefore: neverClaimable,
      timeoutSeconds: 7 * 24 * 3600,
      ...task,
      dependsOn: task.dependsOn ?? [],
    })),
  );
  return { ...scope, ids };
}

/**
 * Tasks in one executing spec (titled `specTitle`) of a fresh project of the organization with
 * this slug, in queue order (rank = index), with their dependencies. Returns the ids by key.
 */
export function seedTasks(
  orgSlug: string,
  tasks: readonly SeedTask[],
  specTitle = "Checkout",
): Promise<SeededSpec> {
  return withE2eDb((db) => seedTasksWith(db, orgSlug, tasks, specTitle));
}

/** The worker name the diamond's running task's lease names (no real worker runs it). */
export const SEED_WORKER = "e2e-worker-1";

/**
 * A six-task diamond: 1 fans out to 2, 3 and 4, which join in 5; 6 follows 5.
 * 2 runs, 4 failed, so 5 is blocked by both; the heaviest chain is 1 → 2 → 5 → 6.
 */
export const diamond: (SeedTask & {
  title: string;
  dependsOn: string[];
  status: TaskStatus;
  estimateMinutes: number;
})[] = [
  { key: "1", title: "Model the cart", dependsOn: [], status: "DONE", estimateMinutes: 20 },
  {
    key: "2",
    title: "Price rules engine",
    dependsOn: ["1"],
    status: "RUNNING",
    estimateMinutes: 90,
    leaseOwner: SEED_WORKER,
    attempts: 1,
    costUsd: 0.2476,
  },
  { key: "3", title: "Cart API", dependsOn: ["1"], status: "DONE", estimateMinutes: 30 },
  {
    key: "4",
    title: "Tax lookup",
    dependsOn: ["1"],
    status: "FAILED",
    estimateMinutes: 40,
    attentionReason: "Tests failed 3 times",
  },
  {
    key: "5",
    title: "Checkout flow",
    dependsOn: ["2", "3", "4"],
    status: "PENDING",
    estimateMinutes: 30,
  },
  { key: "6", title: "Receipt email", dependsOn: ["5"], status: "PENDING", estimateMinutes: 15 },
];

export const diamondEdges = diamond.flatMap((task) =>
  task.dependsOn.map((dep) => [dep, task.key] as const),
);

/**
 * The diamond as an executing spec of a new project in the organization, with task 2 running
 * (a live lease, a run, log lines) and usage records for the costs page, and the approved plan
 * the tasks came from for the spec's Tasks tab. No task is claimable.
 */
export function seedDiamondSpec(orgSlug: string, specTitle = "Checkout"): Promise<SeededSpec> {
  return withE2eDb(async (db) => {
    const now = new Date();
    const startedAt = new Date(now.getTime() - 95_000);
    const seeded = await seedTasksWith(
      db,
      orgSlug,
      diamond.map((task) =>
        task.status === "RUNNING"
          ? {
              ...task,
              leaseExpiresAt: new Date(now.getTime() + 3600_000),
              lastHeartbeatAt: now,
              startedAt,
            }
          : task,
      ),
      specTitle,
    );
    const { orgId, specId, ids } = seeded;
    const runningId = ids.get("2")!;
    await db.task.update({
      where: { id: runningId },
      data: { inputTokens: 84_500, outputTokens: 11_000 },
    });
    await db.specArtifact.create({
      data: {
        orgId,
        specId,
        phase: "TASKS",
        version: 1,
        status: "APPROVED",
        content: {
          tasks: diamond.map((task) => ({
            key: task.key,
            title: task.title,
            description: "",
            phase: "IMPLEMENTATION",
            estimateMinutes: task.estimateMinutes,
            files: [],
            dependsOn: task.dependsOn,
            requirementIds: [],
          })),
          extraSections: [],
        },
      },
    });
    const run = await db.run.create({
      data: {
        orgId,
        taskId: runningId,
        specId,
        status: "RUNNING",
        agentKind: "CLAUDE",
        model: "claude-sonnet-5-5",
        workerId: SEED_WORKER,
        branch: "trellis/checkout--task-2",
        heartbeatAt: now,
        startedAt,
      },
    });
    await db.runLog.createMany({
      data: [
        "claude agent on trellis/checkout--task-2 (from trellis/checkout), try 1",
        "Reading src/pricing/rules.ts",
        "Writing src/pricing/engine.ts",
        "Running npm test -- pricing",
      ].map((text, seq) => ({
        orgId,
        runId: run.id,
        seq,
        stream: seq === 0 ? ("SYSTEM" as const) : ("AGENT" as const),
        text,
      })),
    });
    const day = 24 * 3600_000;
    await db.usageRecord.createMany({
      data: [
        {
          model: "claude-sonnet-5-5",
          inputTokens: 42_000,
          outputTokens: 6_100,
          costUsd: "0.145",
          ago: 0,
        },
        {
          model: "claude-sonnet-5-5",
          inputTokens: 30_500,
          outputTokens: 4_000,
          costUsd: "0.101",
          ago: 1,
        },
        {
          model: "claude-haiku-5-5",
          inputTokens: 12_000,
          outputTokens: 900,
          costUsd: "0.00165",
          ago: 3,
        },
      ].map(({ ago, ...usage }) => ({
        orgId,
        specId,
        taskId: runningId,
        role: "coder",
        ...usage,
        createdAt: new Date(now.getTime() - ago * day),
      })),
    });
    return seeded;
  });
}
