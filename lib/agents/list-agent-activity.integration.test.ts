import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { Actor } from "@/lib/orgs/roles";
import { createTaskScope, createTasks, type TaskScope } from "@/lib/tasks/testing/task-fixtures";
import { listAgentActivity } from "./list-agent-activity";

let database: TestDatabase;
const db = () => database.db;
let scope: TaskScope;
let other: TaskScope;
let runnerId: string;
let agentTaskId: string;
let runnerTaskId: string;
const actorOf = (orgId: string): Actor => ({ userId: "usr_x", orgId, role: "VIEWER" });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600 * 1000);

async function run(
  s: TaskScope,
  taskId: string,
  fields: { workerId?: string; runnerId?: string; at?: Date; model?: string },
) {
  return db().run.create({
    data: {
      orgId: s.orgId,
      taskId,
      specId: s.specId,
      status: "RUNNING",
      agentKind: "CLAUDE",
      model: fields.model ?? "claude-sonnet-5-5",
      workerId: fields.workerId ?? null,
      runnerId: fields.runnerId ?? null,
      heartbeatAt: fields.at ?? new Date(),
      createdAt: fields.at ?? new Date(),
    },
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  scope = await createTaskScope(db(), { name: "Agents" });
  other = await createTaskScope(db(), { name: "Other" });
  runnerId = (
    await db().runner.create({
      data: {
        orgId: scope.orgId,
        name: "gpu-box",
        labels: ["linux"],
        tokenPrefix: "trl_run_ab",
        tokenHash: "hash-agents-test",
        hostname: "gpu-box.local",
        lastHeartbeatAt: new Date(),
      },
    })
  ).id;
  const [agentTask, runnerTask, doneTask, oldTask] = await createTasks(db(), scope, 4, (i) => ({
    key: String(i + 1),
    status: (["RUNNING", "VERIFYING", "DONE", "DONE"] as const)[i],
  }));
  agentTaskId = agentTask!;
  runnerTaskId = runnerTask!;
  await db().task.update({
    where: { id: agentTaskId },
    data: { leaseOwner: "host-a-1", lastHeartbeatAt: new Date(), startedAt: hoursAgo(0.1) },
  });
  await db().task.update({
    where: { id: runnerTaskId },
    data: { leaseOwner: "gpu-box", runnerId, lastHeartbeatAt: new Date() },
  });
  const agentRun = await run(scope, agentTaskId, { workerId: "host-a-1" });
  await db().runLog.createMany({
    data: Array.from({ length: 15 }, (_, seq) => ({
      orgId: scope.orgId,
      runId: agentRun.id,
      seq,
      stream: "AGENT" as const,
      text: `line ${seq}`,
    })),
  });
  await run(scope, runnerTaskId, { runnerId });
  await run(scope, doneTask!, { workerId: "host-b-2", at: hoursAgo(2) });
  await run(scope, oldTask!, { workerId: "host-c-3", at: hoursAgo(30) });

  // Another organization's agent, on a worker name we also use.
  const [foreign] = await createTasks(db(), other, 1, { status: "RUNNING" });
  await db().task.update({ where: { id: foreign! }, data: { leaseOwner: "host-a-1" } });
  await run(other, foreign!, { workerId: "host-a-1" });
});
afterAll(async () => {
  await database?.drop();
});

describe("listAgentActivity", () => {
  it("lists running agents with their backend, worker or runner and the tail of the log", async () => {
    const activity = await listAgentActivity(db(), { actor: actorOf(scope.orgId), logLines: 5 });
    expect(activity.running.map((a) => a.taskId).sort()).toEqual(
      [agentTaskId, runnerTaskId].sort(),
    );
    const agent = activity.running.find((a) => a.taskId === agentTaskId)!;
    expect(agent).toMatchObject({
      key: "1",
      status: "RUNNING",
      worker: "host-a-1",
      runner: null,
      run: { agentKind: "CLAUDE", model: "claude-sonnet-5-5" },
    });
    expect(agent.log.map((l) => l.text)).toEqual([
      "line 10",
      "line 11",
      "line 12",
      "line 13",
      "line 14",
    ]);
    const onRunner = activity.running.find((a) => a.taskId === runnerTaskId)!;
    expect(onRunner).toMatchObject({ status: "VERIFYING", worker: null, runner: { id: runnerId } });
  });

  it("lists registered runners and the built-in runner's workers seen in the last day", async () => {
    const activity = await listAgentActivity(db(), { actor: actorOf(scope.orgId) });
    expect(activity.runners).toEqual([
      expect.objectContaining({ id: runnerId, name: "gpu-box", running: 1, revokedAt: null }),
    ]);
    expect(activity.workers.map((w) => [w.workerId, w.running, w.runs])).toEqual([
      ["host-a-1", 1, 1],
      ["host-b-2", 0, 1],
    ]);
  });

  it("shows nothing of another organization", async () => {
    const activity = await listAgentActivity(db(), { actor: actorOf(other.orgId) });
    expect(activity.runners).toEqual([]);
    expect(activity.running).toHaveLength(1);
    expect(activity.running[0]!.log).toEqual([]);
    expect(activity.workers.map((w) => [w.workerId, w.running, w.runs])).toEqual([
      ["host-a-1", 1, 1],
    ]);
    const empty = await createTaskScope(db(), { name: "Empty" });
    expect(await listAgentActivity(db(), { actor: actorOf(empty.orgId) })).toEqual({
      runners: [],
      workers: [],
      running: [],
      limit: { plan: "TEAM", agents: 20 },
    });
  });

  it("says how many agents the plan lets the organization run at once", async () => {
    const free = await createTaskScope(db(), { name: "Free", plan: "FREE" });
    const selfHosted = await createTaskScope(db(), { name: "Own", plan: "SELF_HOSTED" });
    expect((await listAgentActivity(db(), { actor: actorOf(free.orgId) })).limit).toEqual({
      plan: "FREE",
      agents: 1,
    });
    expect((await listAgentActivity(db(), { actor: actorOf(selfHosted.orgId) })).limit).toEqual({
      plan: "SELF_HOSTED",
      agents: 50,
    });
  });
});
