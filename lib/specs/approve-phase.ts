import "server-only";
import { z } from "zod";
import { activityActor, recordActivity } from "@/lib/activity/record-activity";
import { AppError } from "@/lib/api/app-error";
import { assertCanStartWork } from "@/lib/billing/assert-can-start-work";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActorKind, SpecPhase } from "@/lib/generated/prisma/enums";
import { notifySpecStatus } from "@/lib/github/spec-status";
import { flagDuplicateTasks } from "@/lib/guardian/flag-duplicate-tasks";
import { intakeTaskSettings } from "@/lib/intake/intake-options";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { applyQueueReadyTasks } from "@/lib/tasks/queue-ready-tasks";
import { rankStep } from "@/lib/tasks/rank";
import { storeSpecGraphLayout } from "@/lib/tasks/spec-graph-layout";
import { tasksContentSchema } from "./artifact-schemas";
import { nextArtifactVersion } from "./next-artifact-version";
import type { SpecPhaseRequest } from "./phase-event";
import { requestPhaseRun } from "./request-phase-run";
import { nextPhase } from "./state-machine";
import { transitionSpec } from "./transition-spec";

export const specPhaseSchema = z.enum(["REQUIREMENTS", "DESIGN", "TASKS"], {
  error: "Unknown phase",
});
export const approvePhaseSchema = z.object({ specId: z.string().min(1), phase: specPhaseSchema });

/**
 * Approves the phase's latest version inside the caller's transaction and moves
 * the spec on. Returns the next phase's run request (to send after commit), or
 * null when the tasks were approved and the spec goes to execution.
 * `actorId` null means the project auto-approves this phase.
 */
export async function applyApproval(
  tx: Prisma.TransactionClient,
  options: {
    orgId: string;
    specId: string;
    phase: SpecPhase;
    actorId: string | null;
    /** Who approved when it was not a Trellis user or the project (GITHUB: an issue comment). */
    actorKind?: ActorKind;
    activityData?: Prisma.InputJsonObject;
  },
): Promise<SpecPhaseRequest | null> {
  const { orgId, specId, phase, actorId } = options;
  const moved = await transitionSpec(tx, {
    orgId,
    specId,
    event: { type: "approve", phase },
    actorId,
    actorKind: options.actorKind,
    activityData: { auto: actorId === null && !options.actorKind, ...options.activityData },
  });
  const artifact = await tx.specArtifact.findFirst({
    where: { specId, phase, status: "DRAFT" },
    orderBy: { version: "desc" },
    select: { id: true, version: true, content: true },
  });
  if (!artifact)
    throw new AppError("CONFLICT", `There is no ${phase.toLowerCase()} draft to approve.`);
  await tx.specArtifact.update({ where: { id: artifact.id }, data: { status: "APPROVED" } });
  await tx.approval.create({
    data: { orgId, specId, phase, version: artifact.version, decision: "APPROVED", actorId },
  });
  if (phase === "TASKS") {
    await materializeTasks(tx, {
      orgId,
      specId,
      projectId: moved.projectId,
      content: artifact.content,
    });
    return null;
  }
  const next = nextPhase(phase);
  if (!next) return null;
  return { orgId, specId, phase: next, version: await nextArtifactVersion(tx, specId, next) };
}

/**
 * The highest rank among the organization's open tasks (0 with none). A newly approved graph's
 * tasks go after it: the queue (and the board) is one order across the organization, rank first,
 * so tasks ranked by their place within their own spec would put every newer spec's first tasks
 * ahead of an older spec's last ones. A person can still drag a task up. The lock keeps two
 * graphs approved at once from interleaving on the same ranks.
 */
async function openTasksEnd(tx: Prisma.TransactionClient, orgId: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ranks:${orgId}`}, 0))`;
  const { _max } = await tx.task.aggregate({
    where: { orgId, status: { notIn: ["DONE", "CANCELLED"] } },
    _max: { rank: true },
  });
  return _max.rank ?? 0;
}

/** Approved task graphs become task rows (PENDING) with their dependencies; the scheduler queues them. */
async function materializeTasks(
  tx: Prisma.TransactionClient,
  options: { orgId: string; specId: string; projectId: string; content: Prisma.JsonValue },
) {
  const { tasks } = tasksContentSchema.parse(options.content);
  // Laid out now, so the graph page finds the layout ready (and any web server after a restart).
  await storeSpecGraphLayout(tx, { orgId: options.orgId, specId: options.specId, nodes: tasks });
  // A ticket enqueued through the API may set its tasks' timeout and retries.
  const spec = await tx.spec.findUnique({
    where: { id: options.specId },
    select: { ticket: { select: { intake: true } } },
  });
  const settings = intakeTaskSettings(spec?.ticket?.intake);
  const after = await openTasksEnd(tx, options.orgId);
  const ids = new Map<string, string>();
  for (const [index, task] of tasks.entries()) {
    const row = await tx.task.create({
      data: {
        orgId: options.orgId,
        projectId: options.projectId,
        specId: options.specId,
        key: task.key,
        title: task.title,
        description: task.description,
        phase: task.phase,
        estimateMinutes: task.estimateMinutes,
        files: task.files,
        requirementIds: task.requirementIds,
        rank: after + (index + 1) * rankStep,
        ...settings,
      },
      select: { id: true },
    });
    ids.set(task.key, row.id);
  }
  const edges = tasks.flatMap((task) =>
    task.dependsOn.map((dep) => ({
      orgId: options.orgId,
      taskId: ids.get(task.key)!,
      dependsOnId: ids.get(dep)!,
    })),
  );
  if (edges.length) await tx.taskDependency.createMany({ data: edges });
  await recordActivity(tx, {
    orgId: options.orgId,
    type: "tasks.created",
    actorKind: "SYSTEM",
    projectId: options.projectId,
    specId: options.specId,
    data: { count: tasks.length },
  });
  await flagDuplicateTasks(tx, options);
  // Tasks with no unmet dependency are queued at once; the rest as their dependencies finish.
  await applyQueueReadyTasks(tx, { specId: options.specId });
}

/** A person approves the phase under review; the next phase is queued. */
export async function approvePhase(
  db: Db,
  options: { actor: Actor; input: z.input<typeof approvePhaseSchema> },
) {
  const { actor } = options;
  assertCan(actor, "write");
  const input = approvePhaseSchema.parse(options.input);
  const next = await db.$transaction(async (tx) => {
    // An approval starts work: the next phase, or the approved tasks' runs.
    await assertCanStartWork(tx, { orgId: actor.orgId });
    return applyApproval(tx, {
      orgId: actor.orgId,
      specId: input.specId,
      phase: input.phase,
      ...activityActor(actor),
    });
  });
  if (next) await requestPhaseRun(next);
  else await notifySpecStatus(db, { orgId: actor.orgId, specId: input.specId });
  return { next };
}
