// Approving a task graph puts its tasks in the organization's queue: after the work already
// there, not interleaved with it by each task's place within its own spec.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { claimTasks } from "@/lib/tasks/claim-tasks";
import { completeTask } from "@/lib/tasks/finish-task";
import { reorderTask } from "@/lib/tasks/reorder-task";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { approvePhase } from "./approve-phase";
import type { TasksContent } from "./artifact-schemas";
import { createSpec } from "./create-spec";
import { saveArtifact } from "./save-artifact";
import { recordingEngine } from "./testing/pipeline-fixtures";

let database: TestDatabase;
const db = () => database.db;
let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
let ticketId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createUserWithOrg(db(), "Ada");
  // One agent at a time, so the claims come one by one in queue order.
  await db().organization.update({ where: { id: owner.org.id }, data: { plan: "FREE" } });
  ticketId = (await createProjectWithTicket(db(), owner.actor)).ticket.id;
});
afterAll(async () => {
  setJobEngine(undefined);
  await database?.drop();
});
beforeEach(() => {
  setJobEngine(recordingEngine());
});

/** Six independent tasks, "<prefix>1" … "<prefix>6". */
const sixTasks = (prefix: string): TasksContent => ({
  tasks: Array.from({ length: 6 }, (_, i) => ({
    key: `${i + 1}`,
    title: `${prefix}${i + 1}`,
    description: `Step ${i + 1} of ${prefix}.`,
    phase: "IMPLEMENTATION" as const,
    estimateMinutes: 30,
    files: [`lib/${prefix}/step-${i + 1}.ts`],
    dependsOn: [],
    requirementIds: [],
  })),
});

/** A spec whose task graph (`content`) is in review, then approved: its tasks are queued. */
async function approveGraph(content: TasksContent): Promise<string> {
  const specId = (await createSpec(db(), { actor: owner.actor, input: { ticketId } })).id;
  await db().$transaction(async (tx) => {
    await saveArtifact(tx, {
      orgId: owner.org.id,
      specId,
      phase: "TASKS",
      content,
      source: "AGENT",
    });
    await tx.spec.update({ where: { id: specId }, data: { state: "TASKS_REVIEW" } });
  });
  await approvePhase(db(), { actor: owner.actor, input: { specId, phase: "TASKS" } });
  return specId;
}

/** Claims and completes the next task, as the one agent would; its title. */
async function runNext(): Promise<string | undefined> {
  const [task] = await claimTasks(db(), { workerId: "w" });
  if (!task) return undefined;
  await completeTask(db(), { taskId: task.id, workerId: "w" });
  return (await db().task.findUniqueOrThrow({ where: { id: task.id } })).title;
}

describe("approving a task graph", () => {
  it("queues its tasks after the organization's open tasks, and a person can still move one up", async () => {
    await approveGraph(sixTasks("A"));
    expect(await runNext()).toBe("A1");
    const b = await approveGraph(sixTasks("B"));

    // An older spec's remaining tasks go first, however far down their own spec they are.
    const order: string[] = [];
    for (let i = 0; i < 5; i++) order.push((await runNext())!);
    expect(order).toEqual(["A2", "A3", "A4", "A5", "A6"]);

    // B's tasks in their own order, except the one dragged to the top of the queue.
    const b4 = await db().task.findFirstOrThrow({ where: { specId: b, key: "4" } });
    const b1 = await db().task.findFirstOrThrow({ where: { specId: b, key: "1" } });
    await reorderTask(db(), {
      actor: owner.actor,
      input: { taskId: b4.id, aboveId: null, belowId: b1.id },
    });
    const rest: string[] = [];
    for (let title = await runNext(); title; title = await runNext()) rest.push(title);
    expect(rest).toEqual(["B4", "B1", "B2", "B3", "B5", "B6"]);
  });
});
