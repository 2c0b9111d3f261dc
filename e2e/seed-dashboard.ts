import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import { createTaskGraph, createTaskScope } from "@/lib/tasks/testing/task-fixtures";

/**
 * A six-task diamond: 1 fans out to 2, 3 and 4, which join in 5; 6 follows 5.
 * 2 runs, 4 failed, so 5 is blocked by both; the heaviest chain is 1 → 2 → 5 → 6.
 */
export const diamond: {
  key: string;
  title: string;
  dependsOn: string[];
  status: TaskStatus;
  estimateMinutes: number;
}[] = [
  { key: "1", title: "Model the cart", dependsOn: [], status: "DONE", estimateMinutes: 20 },
  {
    key: "2",
    title: "Price rules engine",
    dependsOn: ["1"],
    status: "RUNNING",
    estimateMinutes: 90,
  },
  { key: "3", title: "Cart API", dependsOn: ["1"], status: "DONE", estimateMinutes: 30 },
  { key: "4", title: "Tax lookup", dependsOn: ["1"], status: "FAILED", estimateMinutes: 40 },
  {
    key: "5",
    title: "Checkout flow",
    dependsOn: ["2", "3", "4"],
    status: "PENDING",
    estimateMinutes: 30,
  },
  { key: "6", title: "Receipt email", dependsOn: ["5"], status: "PENDING", estimateMinutes: 15 },
];

export const diamondEdges = [
  ["1", "2"],
  ["1", "3"],
  ["1", "4"],
  ["2", "5"],
  ["3", "5"],
  ["4", "5"],
  ["5", "6"],
] as const;

/** The worker name the running task's lease names (no real worker runs it). */
export const SEED_WORKER = "e2e-worker-1";

/**
 * Seeds the diamond as an executing spec of a new project in the organization, with
 * task 2 running (a run, a heartbeat, log lines) and usage records for the costs page.
 * No task is QUEUED, so the e2e server's worker leaves them alone.
 */
export async function seedDiamondSpec(db: PrismaClient, orgSlug: string, title = "Checkout") {
  const org = await db.organization.findUniqueOrThrow({ where: { slug: orgSlug } });
  const scope = await createTaskScope(db, { orgId: org.id, name: title });
  const ids = await createTaskGraph(db, scope, diamond);
  const now = new Date();
  for (const task of diamond) {
    await db.task.update({
      where: { id: ids.get(task.key)! },
      data: {
        title: task.title,
        status: task.status,
        estimateMinutes: task.estimateMinutes,
        ...(task.status === "RUNNING"
          ? {
              leaseOwner: SEED_WORKER,
              leaseExpiresAt: new Date(now.getTime() + 3600_000),
              lastHeartbeatAt: now,
              startedAt: new Date(now.getTime() - 95_000),
              attempts: 1,
              costUsd: "0.2476",
              inputTokens: 84_500,
              outputTokens: 11_000,
            }
          : {}),
        ...(task.status === "FAILED" ? { attentionReason: "Tests failed 3 times" } : {}),
      },
    });
  }
  // The approved plan the tasks came from, for the spec's Tasks tab (list and graph).
  await db.specArtifact.create({
    data: {
      orgId: org.id,
      specId: scope.specId,
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
  const runningId = ids.get("2")!;
  const run = await db.run.create({
    data: {
      orgId: org.id,
      taskId: runningId,
      specId: scope.specId,
      status: "RUNNING",
      agentKind: "CLAUDE",
      model: "claude-sonnet-5-5",
      workerId: SEED_WORKER,
      branch: "trellis/checkout--task-2",
      heartbeatAt: now,
      startedAt: new Date(now.getTime() - 95_000),
    },
  });
  await db.runLog.createMany({
    data: [
      "claude agent on trellis/checkout--task-2 (from trellis/checkout), try 1",
      "Reading src/pricing/rules.ts",
      "Writing src/pricing/engine.ts",
      "Running npm test -- pricing",
    ].map((text, seq) => ({
      orgId: org.id,
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
      orgId: org.id,
      specId: scope.specId,
      taskId: runningId,
      role: "coder",
      ...usage,
      createdAt: new Date(now.getTime() - ago * day),
    })),
  });
  return { orgId: org.id, specId: scope.specId, projectId: scope.projectId, ids };
}
