// Must-show: the guardian. A scripted agent (the real Claude agent against a fake Messages API
// that always asks for the same tool call) is nudged, then stopped with the reason shown; a
// silent agent is restarted, then handed to a person; a run that stops heart-beating is
// requeued; a spec over its budget pauses and resumes once the budget is raised.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ClaudeAgent } from "@/lib/agents/backends/claude-agent";
import { CliAgent } from "@/lib/agents/backends/cli-agent";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { runTask } from "@/lib/execution/run-task";
import { approvedGraph, plannedTask } from "@/lib/execution/testing/execution-fixtures";
import type { Actor } from "@/lib/orgs/roles";
import { resumeSpecExecution } from "@/lib/specs/resume-spec-execution";
import { setSpecBudget } from "@/lib/specs/set-spec-budget";
import { claimTasks } from "@/lib/tasks/claim-tasks";
import { requeueStaleTasks } from "@/lib/tasks/requeue-stale-tasks";
import {
  type FakeAnthropic,
  type FakeReply,
  startFakeAnthropic,
} from "@/lib/testing/fake-anthropic";
import { createUserWithOrg } from "@/prisma/factories";

let database: TestDatabase;
let db: TestDatabase["db"];
let actor: Actor;
let fake: FakeAnthropic;
const worktreesRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-worktrees-"));

const call = (name: string, input: unknown): FakeReply => ({
  kind: "tool_use",
  name,
  input,
  usage: { input_tokens: 1000, output_tokens: 200 },
});

const claude = () =>
  new ClaudeAgent({
    apiKey: fake.apiKey,
    baseURL: fake.url,
    model: "claude-sonnet-4-6",
    random: () => 0,
    sleep: async () => {},
  });

/** A one-task spec, claimed by this test's worker. */
async function claimedTask() {
  const graph = await approvedGraph(db, actor, [plannedTask("1", [])]);
  const [task] = await claimTasks(db, { workerId: "w-guard", limit: 1, leaseMs: 60_000 });
  expect(task?.specId).toBe(graph.specId);
  return { ...graph, taskId: task!.id };
}

const interventions = (taskId: string) =>
  db.guardianIntervention.findMany({ where: { taskId }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), startFakeAnthropic()]);
  db = database.db;
  actor = (await createUserWithOrg(db, "Ada")).actor;
  // Every test makes its own project: more than the Free plan allows.
  await db.organization.update({ where: { id: actor.orgId }, data: { plan: "TEAM" } });
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.setDefault(undefined);
});

afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

describe("guardian", () => {
  it("nudges an agent that repeats one tool call, then stops it with the reason shown", async () => {
    const { taskId } = await claimedTask();
    fake.setDefault(call("read_file", { path: "README.md" }));

    const outcome = await runTask(db, {
      taskId,
      workerId: "w-guard",
      worktreesRoot,
      leaseMs: 60_000,
      agent: claude(),
    });

    expect(outcome).toBe("needs_attention");
    const task = await db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task.status).toBe("NEEDS_ATTENTION");
    expect(task.attentionReason).toMatch(
      /^Guardian: Stopped: repeated the same tool call 3 times in a row again after a nudge: read_file\(\{"path":"README.md"\}\)/,
    );
    const recorded = await interventions(taskId);
    expect(recorded.map((i) => i.action)).toEqual(["NUDGE", "ESCALATE"]);
    expect(recorded[0]?.reason).toMatch(/Repeated the same tool call 3 times in a row: read_file/);
    expect(fake.requests).toHaveLength(6);
    const timeline = await db.activityEvent.findMany({
      where: { taskId, type: { startsWith: "guardian." } },
      orderBy: { seq: "asc" },
    });
    expect(timeline.map((e) => e.type)).toEqual(["guardian.nudge", "guardian.escalate"]);
    const log = await db.runLog.findMany({ where: { run: { taskId } }, orderBy: { seq: "asc" } });
    expect(log.some((l) => l.text.startsWith("Guardian (escalate): Stopped: repeated"))).toBe(true);
  });

  it("restarts an agent that goes silent, then hands the task to a person", async () => {
    const { taskId } = await claimedTask();
    const outcome = await runTask(db, {
      taskId,
      workerId: "w-guard",
      worktreesRoot,
      leaseMs: 60_000,
      agent: new CliAgent({ command: "sleep 30" }),
      guardian: { noProgressMs: 600 },
      guardianCheckMs: 100,
    });

    expect(outcome).toBe("needs_attention");
    const recorded = await interventions(taskId);
    expect(recorded.map((i) => i.action)).toEqual(["RESTART", "ESCALATE"]);
    expect(recorded[0]?.reason).toMatch(/^No output, tool call or model call for \d+ s$/);
    const task = await db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task.attentionReason).toMatch(
      /^Guardian: Stopped: no progress for \d+ s again after a restart$/,
    );
  }, 30_000);

  it("requeues a run that stops heart-beating, recording why", async () => {
    const graph = await approvedGraph(db, actor, [plannedTask("1", [])]);
    const [task] = await claimTasks(db, { workerId: "w-silent", limit: 1, leaseMs: 60_000 });
    expect(task?.specId).toBe(graph.specId);

    // Nothing happens before the lease lapses...
    expect((await requeueStaleTasks(db, {})).requeued).not.toContain(task!.id);
    const later = new Date(Date.now() + 61_000);
    const swept = await requeueStaleTasks(db, { now: later });
    expect(swept.requeued).toContain(task!.id);

    const after = await db.task.findUniqueOrThrow({ where: { id: task!.id } });
    expect(after.status).toBe("QUEUED");
    expect(after.leaseOwner).toBeNull();
    const [restart] = await interventions(task!.id);
    expect(restart?.action).toBe("RESTART");
    expect(restart?.reason).toBe("Lost its worker (w-silent): no heartbeat; requeued");
  });
});

describe("spec budget", () => {
  it("pauses the spec when a model call crosses the budget, and resumes once it is raised", async () => {
    const { specId, taskId } = await claimedTask();
    // One model call of this size costs more than half a cent.
    await setSpecBudget(db, { actor, input: { specId, budgetUsd: 0.005 } });
    fake.setDefault(call("list_files", {}));

    const outcome = await runTask(db, {
      taskId,
      workerId: "w-guard",
      worktreesRoot,
      leaseMs: 60_000,
      agent: claude(),
    });

    expect(outcome).toBe("paused");
    expect(fake.requests).toHaveLength(1);
    const spec = await db.spec.findUniqueOrThrow({ where: { id: specId } });
    expect(spec.pausedAt).not.toBeNull();
    expect(spec.pausedReason).toMatch(
      /^Budget of \$0\.01 reached \(\$0\.0\d spent\)\. Execution is paused: raise the budget to resume\.$/,
    );
    const task = await db.task.findUniqueOrThrow({
      where: { id: taskId },
      include: { runs: true },
    });
    expect(task.status).toBe("PENDING");
    expect(task.attempts).toBe(0); // a pause does not use up an attempt
    expect(task.runs[0]?.status).toBe("CANCELLED");
    expect(task.runs[0]?.errorMessage).toMatch(/^Paused: the spec reached its budget/);
    expect((await interventions(taskId)).map((i) => i.action)).toEqual(["ESCALATE"]);

    await expect(resumeSpecExecution(db, { actor, input: { specId } })).rejects.toThrow(
      /has spent \$0\.0\d of its \$0\.01 budget: raise the budget above/,
    );
    expect((await db.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("PENDING");

    await setSpecBudget(db, { actor, input: { specId, budgetUsd: 5 } });
    const resumed = await resumeSpecExecution(db, { actor, input: { specId } });
    expect(resumed.queued).toBe(1);
    const requeued = await db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(requeued.status).toBe("QUEUED");
    const events = await db.activityEvent.findMany({
      where: { specId, type: { in: ["spec.paused", "spec.resumed", "spec.budget_set"] } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual([
      "spec.budget_set",
      "spec.paused",
      "spec.budget_set",
      "spec.resumed",
    ]);
  });

  it("refuses a bad budget with the field named, and another organization's spec is not found", async () => {
    const { specId } = await approvedGraph(db, actor, [plannedTask("1", [])]);
    await expect(setSpecBudget(db, { actor, input: { specId, budgetUsd: -1 } })).rejects.toThrow(
      "Budget must be more than $0.",
    );
    const other = (await createUserWithOrg(db, "Eve")).actor;
    await expect(
      setSpecBudget(db, { actor: other, input: { specId, budgetUsd: 1 } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      resumeSpecExecution(db, { actor: other, input: { specId } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.spec.findUniqueOrThrow({ where: { id: specId } })).budgetUsd).toBeNull();
  });
});

describe("conductor", () => {
  it("flags a task that looks like one in another spec of the same project, naming it", async () => {
    const first = await approvedGraph(db, actor, [
      {
        ...plannedTask("1", []),
        title: "Add search to the tickets list",
        files: ["lib/search.ts"],
      },
    ]);
    const second = await approvedGraph(
      db,
      actor,
      [
        {
          ...plannedTask("1", []),
          title: "Adding search for the ticket list",
          files: ["lib/search.ts"],
        },
        { ...plannedTask("2", []), title: "Export tickets as CSV", files: ["lib/export.ts"] },
      ],
      { existing: { id: first.projectId, repo: first.repo } },
    );
    // Another project with the same task is not compared.
    const elsewhere = await approvedGraph(db, actor, [
      {
        ...plannedTask("1", []),
        title: "Add search to the tickets list",
        files: ["lib/search.ts"],
      },
    ]);

    const flags = await db.guardianIntervention.findMany({
      where: {
        action: "FLAG_DUPLICATE",
        task: { specId: { in: [second.specId, elsewhere.specId] } },
      },
      include: { task: { select: { key: true, specId: true } } },
    });
    expect(flags).toHaveLength(1);
    expect(flags[0]?.task?.specId).toBe(second.specId);
    expect(flags[0]?.task?.key).toBe("1");
    expect(flags[0]?.reason).toMatch(
      /^Looks like task 1 “Add search to the tickets list” of the spec “Work /,
    );
    const event = await db.activityEvent.findFirstOrThrow({
      where: { specId: second.specId, type: "guardian.flag_duplicate" },
    });
    expect(event.data).toMatchObject({ key: "1" });
  });
});
