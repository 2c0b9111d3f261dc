// The spec phase function driven directly (in-memory step tools, a real database): the offline
// pipeline from start to tasks, the Anthropic path through the real SDK against the fake Messages
// API, duplicate and late runs, and auto-approved projects.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AnthropicProvider } from "@/lib/agents/anthropic-provider";
import { AppError } from "@/lib/api/app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import type { Actor } from "@/lib/orgs/roles";
import { approvePhase } from "@/lib/specs/approve-phase";
import { requirementsContentSchema, tasksContentSchema } from "@/lib/specs/artifact-schemas";
import { lintRequirements } from "@/lib/specs/ears";
import { phaseRunId, type SpecPhaseRequest, specPhaseRequested } from "@/lib/specs/phase-event";
import { requestChanges } from "@/lib/specs/request-changes";
import { maxTaskGraphRepairs, runSpecPhase } from "@/lib/specs/run-spec-phase";
import { startTicketSpec } from "@/lib/specs/start-ticket-spec";
import {
  cyclicTasks,
  LostStepResult,
  memoSteps,
  offlineProvider,
  promptOf,
  recordingEngine,
  requirementsAnswer,
  specRunning,
  toolUse,
  validTasks,
} from "@/lib/specs/testing/pipeline-fixtures";
import { errorReply, type FakeAnthropic, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { createTicket } from "@/lib/tickets/create-ticket";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

let database: TestDatabase;
let db: TestDatabase["db"];
let actor: Actor;
let projectId: string;
let engine: ReturnType<typeof recordingEngine>;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const owner = await createUserWithOrg(db, "Ada");
  actor = owner.actor;
  // Several projects below: more than the Free plan's one.
  await db.organization.update({ where: { id: actor.orgId }, data: { plan: "TEAM" } });
  projectId = (await createProjectWithTicket(db, actor)).project.id;
});

afterAll(async () => {
  setJobEngine(undefined);
  await database?.drop();
});

beforeEach(() => {
  engine = recordingEngine();
  setJobEngine(engine);
});

async function newTicket(title = "Add search to the ticket list") {
  const ticket = await createTicket(db, {
    actor,
    input: {
      projectId,
      title,
      description:
        "Users can search tickets by title.\n- Show matching tickets as the user types\n- Show a message when nothing matches",
    },
  });
  return ticket.id;
}

/** The run requests sent since the last call, as the engine received them. */
function sentRequests(): SpecPhaseRequest[] {
  const events = engine.sent.splice(0);
  for (const event of events) {
    expect(event.name).toBe(specPhaseRequested);
    expect(event.id).toBe(phaseRunId(event.data as SpecPhaseRequest));
  }
  return events.map((event) => event.data as SpecPhaseRequest);
}

async function specOf(specId: string) {
  return db.spec.findUniqueOrThrow({
    where: { id: specId },
    select: { state: true, failedPhase: true, failureReason: true },
  });
}

async function artifacts(specId: string, phase: SpecPhase) {
  return db.specArtifact.findMany({
    where: { specId, phase },
    orderBy: { version: "asc" },
    select: { version: true, status: true, feedback: true, content: true, source: true },
  });
}

/** Activity recorded for the spec since the previous call: [type, from -> to] pairs. */
function activityReader(specId: string) {
  const seen = new Set<string>();
  return async () => {
    const rows = await db.activityEvent.findMany({
      where: { specId },
      orderBy: { seq: "asc" },
      select: { id: true, type: true, data: true },
    });
    const fresh = rows.filter((row) => !seen.has(row.id));
    for (const row of fresh) seen.add(row.id);
    return fresh
      .map((row) => {
        const data = row.data as { from?: string; to?: string };
        return data.from ? `${row.type} ${data.from}->${data.to}` : row.type;
      })
      .sort();
  };
}

describe("runSpecPhase with the offline provider", () => {
  it("drafts, revises for feedback and approves a spec through to its tasks", async () => {
    const provider = offlineProvider();
    const spec = await startTicketSpec(db, { actor, input: { ticketId: await newTicket() } });
    const activity = activityReader(spec.id);
    const [first] = sentRequests();
    expect(first).toEqual({
      orgId: actor.orgId,
      specId: spec.id,
      phase: "REQUIREMENTS",
      version: 1,
    });
    expect(await activity()).toEqual([
      "spec.created",
      "spec.started DRAFT->REQUIREMENTS_RUNNING",
      "ticket.updated OPEN->IN_PROGRESS",
    ]);

    // Requirements v1: saved as a draft under review, every criterion good EARS.
    const step = memoSteps();
    expect(await runSpecPhase(db, { request: first!, step, provider })).toEqual({
      saved: 1,
      next: null,
    });
    expect(step.ran).toEqual(["load", "generate", "save"]);
    expect((await specOf(spec.id)).state).toBe("REQUIREMENTS_REVIEW");
    const [v1] = await artifacts(spec.id, "REQUIREMENTS");
    expect(v1).toMatchObject({ version: 1, status: "DRAFT", source: "AGENT", feedback: null });
    const v1Lint = Object.entries(lintRequirements(requirementsContentSchema.parse(v1!.content)));
    expect(v1Lint.length).toBeGreaterThan(0);
    for (const [criterion, result] of v1Lint) {
      expect({ criterion, issues: result.issues, pattern: result.pattern !== null }).toEqual({
        criterion,
        issues: [],
        pattern: true,
      });
    }
    expect(await activity()).toEqual([
      "spec.phase_finished REQUIREMENTS_RUNNING->REQUIREMENTS_REVIEW",
    ]);

    // Request changes: a second version answers the feedback; the first stays as history.
    const feedback = "Also search ticket descriptions";
    await requestChanges(db, {
      actor,
      input: { specId: spec.id, phase: "REQUIREMENTS", feedback },
    });
    const [second] = sentRequests();
    expect(second).toEqual({ ...first, version: 2 });
    expect(await activity()).toEqual([
      "spec.changes_requested REQUIREMENTS_REVIEW->REQUIREMENTS_RUNNING",
    ]);
    expect(await runSpecPhase(db, { request: second!, step: memoSteps(), provider })).toEqual({
      saved: 2,
      next: null,
    });
    const requirements = await artifacts(spec.id, "REQUIREMENTS");
    expect(requirements.map((a) => [a.version, a.status, a.feedback])).toEqual([
      [1, "SUPERSEDED", null],
      [2, "DRAFT", feedback],
    ]);
    expect(JSON.stringify(requirements[1]!.content)).toContain(feedback);
    expect(await activity()).toEqual([
      "spec.phase_finished REQUIREMENTS_RUNNING->REQUIREMENTS_REVIEW",
    ]);

    // Approve requirements -> design runs -> approve design -> tasks run.
    let { next } = await approvePhase(db, {
      actor,
      input: { specId: spec.id, phase: "REQUIREMENTS" },
    });
    expect(next).toEqual({ ...first, phase: "DESIGN", version: 1 });
    expect(sentRequests()).toEqual([next]);
    expect(await activity()).toEqual(["spec.approved REQUIREMENTS_REVIEW->DESIGN_RUNNING"]);
    await runSpecPhase(db, { request: next!, step: memoSteps(), provider });
    expect((await specOf(spec.id)).state).toBe("DESIGN_REVIEW");
    expect(await activity()).toEqual(["spec.phase_finished DESIGN_RUNNING->DESIGN_REVIEW"]);

    ({ next } = await approvePhase(db, { actor, input: { specId: spec.id, phase: "DESIGN" } }));
    expect(next).toEqual({ ...first, phase: "TASKS", version: 1 });
    expect(sentRequests()).toEqual([next]);
    expect(await activity()).toEqual(["spec.approved DESIGN_REVIEW->TASKS_RUNNING"]);
    await runSpecPhase(db, { request: next!, step: memoSteps(), provider });
    expect((await specOf(spec.id)).state).toBe("TASKS_REVIEW");
    expect(await activity()).toEqual(["spec.phase_finished TASKS_RUNNING->TASKS_REVIEW"]);

    // Approving the tasks starts execution: the graph becomes Task and TaskDependency rows.
    ({ next } = await approvePhase(db, { actor, input: { specId: spec.id, phase: "TASKS" } }));
    expect(next).toBeNull();
    expect(sentRequests()).toEqual([]);
    expect((await specOf(spec.id)).state).toBe("EXECUTING");
    const roots = tasksContentSchema
      .parse((await artifacts(spec.id, "TASKS"))[0]!.content)
      .tasks.filter((t) => t.dependsOn.length === 0);
    // (sorted by the reader)
    expect(await activity()).toEqual([
      "spec.approved TASKS_REVIEW->EXECUTING",
      ...roots.map(() => "task.queued PENDING->QUEUED"),
      "tasks.created",
    ]);

    const [tasksArtifact] = await artifacts(spec.id, "TASKS");
    expect(tasksArtifact?.status).toBe("APPROVED");
    const graph = tasksContentSchema.parse(tasksArtifact!.content);
    const rows = await db.task.findMany({
      where: { specId: spec.id },
      orderBy: { rank: "asc" },
      select: { id: true, key: true, title: true, status: true, requirementIds: true },
    });
    expect(rows.map((r) => [r.key, r.title, r.status, r.requirementIds])).toEqual(
      // Tasks with no dependency are queued at once; the rest wait for theirs.
      graph.tasks.map((t) => [
        t.key,
        t.title,
        t.dependsOn.length ? "PENDING" : "QUEUED",
        t.requirementIds,
      ]),
    );
    const keyOf = new Map(rows.map((r) => [r.id, r.key]));
    const edges = await db.taskDependency.findMany({
      where: { task: { specId: spec.id } },
      select: { taskId: true, dependsOnId: true },
    });
    const expectedEdges = graph.tasks.flatMap((t) => t.dependsOn.map((dep) => `${t.key}->${dep}`));
    expect(expectedEdges.length).toBeGreaterThan(0);
    expect(edges.map((e) => `${keyOf.get(e.taskId)}->${keyOf.get(e.dependsOnId)}`).sort()).toEqual(
      expectedEdges.sort(),
    );
  });
});

describe("runSpecPhase with Claude (the real SDK against a fake Messages API)", () => {
  let fake: FakeAnthropic;
  let sleeps: number[];

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    sleeps = [];
  });
  afterEach(async () => {
    await fake.close();
  });

  const claude = (apiKey = fake.apiKey) =>
    new AnthropicProvider({
      apiKey,
      baseURL: fake.url,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

  async function requirementsRequest(): Promise<SpecPhaseRequest> {
    return specRunning(db, { actor, ticketId: await newTicket(), phase: "REQUIREMENTS" });
  }

  it("fails the phase at once, with the reason, when the API key is rejected", async () => {
    const request = await requirementsRequest();
    const activity = activityReader(request.specId);
    await activity();

    const result = await runSpecPhase(db, {
      request,
      step: memoSteps(),
      provider: claude("sk-ant-api03-revoked"),
    });

    expect(result).toEqual({ failed: expect.stringContaining("rejected the API key") });
    expect(fake.requests).toHaveLength(1); // a 401 is not retried, and there is no fallback
    expect(sleeps).toEqual([]);
    const spec = await specOf(request.specId);
    expect(spec).toEqual({
      state: "FAILED",
      failedPhase: "REQUIREMENTS",
      failureReason: expect.stringContaining("ANTHROPIC_API_KEY"),
    });
    expect(spec.failureReason).toContain("The Anthropic API rejected the API key (401)");
    expect(await artifacts(request.specId, "REQUIREMENTS")).toEqual([]);
    expect(await activity()).toEqual(["spec.phase_failed REQUIREMENTS_RUNNING->FAILED"]);
  });

  it("waits out a 429 and records the call's usage and cost against the spec", async () => {
    const request = await requirementsRequest();
    fake.enqueue(errorReply(429, "Number of request tokens has exceeded your rate limit.", "2"));
    fake.enqueue(toolUse(requirementsAnswer, 1_000, 500));

    const result = await runSpecPhase(db, { request, step: memoSteps(), provider: claude() });

    expect(result).toEqual({ saved: 1, next: null });
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toEqual([2_000]); // the retry-after the API asked for
    expect((await specOf(request.specId)).state).toBe("REQUIREMENTS_REVIEW");
    const [saved] = await artifacts(request.specId, "REQUIREMENTS");
    expect(saved?.content).toEqual(requirementsAnswer);
    const usage = await db.usageRecord.findMany({
      where: { specId: request.specId },
      select: {
        orgId: true,
        role: true,
        model: true,
        inputTokens: true,
        outputTokens: true,
        costUsd: true,
      },
    });
    // Opus 5.5 at $4 / $20 per million tokens: 1,000 in + 500 out = $0.014.
    expect(usage.map((u) => ({ ...u, costUsd: u.costUsd.toString() }))).toEqual([
      {
        orgId: actor.orgId,
        role: "planner",
        model: "claude-opus-5-5",
        inputTokens: 1_000,
        outputTokens: 500,
        costUsd: "0.014",
      },
    ]);
  });

  it("sends a task graph with a cycle back to the model with the problem, and saves the repair", async () => {
    const request = await specRunning(db, { actor, ticketId: await newTicket(), phase: "TASKS" });
    fake.enqueue(toolUse(cyclicTasks), toolUse(validTasks));
    const step = memoSteps();

    const result = await runSpecPhase(db, { request, step, provider: claude() });

    expect(result).toEqual({ saved: 1, next: null });
    expect(step.ran).toEqual(["load", "generate", "repair-1", "save"]);
    expect(fake.requests).toHaveLength(2);
    const [firstPrompt, repairPrompt] = fake.requests.map((r) => promptOf(r.body));
    expect(firstPrompt).not.toContain("had these problems");
    expect(repairPrompt).toContain("Your last task graph had these problems");
    expect(repairPrompt).toMatch(/Dependency cycle: \d( -> \d){3}/);
    expect(repairPrompt).toContain(JSON.stringify(cyclicTasks));
    expect((await specOf(request.specId)).state).toBe("TASKS_REVIEW");
    const [saved] = await artifacts(request.specId, "TASKS");
    expect(saved).toMatchObject({ version: 1, status: "DRAFT", content: validTasks });
    expect(
      await db.usageRecord.count({ where: { specId: request.specId, role: "task-writer" } }),
    ).toBe(2);
  });

  it("fails the phase with the problems when the graph is still cyclic after the bounded repairs", async () => {
    const request = await specRunning(db, { actor, ticketId: await newTicket(), phase: "TASKS" });
    fake.setDefault(toolUse(cyclicTasks));
    const step = memoSteps();

    const result = await runSpecPhase(db, { request, step, provider: claude() });

    expect(maxTaskGraphRepairs).toBe(2);
    expect(fake.requests).toHaveLength(1 + maxTaskGraphRepairs);
    expect(step.ran).toEqual(["load", "generate", "repair-1", "repair-2", "fail"]);
    const reason = `The task graph was still invalid after ${maxTaskGraphRepairs} repairs: Dependency cycle`;
    expect(result).toEqual({ failed: expect.stringContaining(reason) });
    expect(await specOf(request.specId)).toEqual({
      state: "FAILED",
      failedPhase: "TASKS",
      failureReason: expect.stringContaining(reason),
    });
    expect(await artifacts(request.specId, "TASKS")).toEqual([]);
  });
});

describe("duplicate and late runs", () => {
  it("does nothing when the same request runs again after it finished", async () => {
    const provider = offlineProvider();
    const request = await specRunning(db, {
      actor,
      ticketId: await newTicket(),
      phase: "REQUIREMENTS",
    });
    await runSpecPhase(db, { request, step: memoSteps(), provider });
    const before = {
      activity: await db.activityEvent.count({ where: { specId: request.specId } }),
      usage: await db.usageRecord.count({ where: { specId: request.specId } }),
    };

    const again = memoSteps();
    const result = await runSpecPhase(db, { request, step: again, provider });

    expect(result).toEqual({ skipped: "spec is REQUIREMENTS_REVIEW" });
    expect(again.ran).toEqual(["load"]);
    expect((await artifacts(request.specId, "REQUIREMENTS")).map((a) => a.version)).toEqual([1]);
    expect({
      activity: await db.activityEvent.count({ where: { specId: request.specId } }),
      usage: await db.usageRecord.count({ where: { specId: request.specId } }),
    }).toEqual(before);
  });

  it("skips a late duplicate of a version that exists while the next version is running", async () => {
    const provider = offlineProvider();
    const request = await specRunning(db, {
      actor,
      ticketId: await newTicket(),
      phase: "REQUIREMENTS",
    });
    await runSpecPhase(db, { request, step: memoSteps(), provider });
    const revision = await requestChanges(db, {
      actor,
      input: { specId: request.specId, phase: "REQUIREMENTS", feedback: "Cover empty queries" },
    });

    // The spec is running again (for v2) when a duplicate of the v1 request arrives.
    const late = memoSteps();
    expect(await runSpecPhase(db, { request, step: late, provider })).toEqual({
      skipped: "version 1 exists",
    });
    expect(late.ran).toEqual(["load"]);
    expect((await specOf(request.specId)).state).toBe("REQUIREMENTS_RUNNING");

    expect(await runSpecPhase(db, { request: revision, step: memoSteps(), provider })).toEqual({
      saved: 2,
      next: null,
    });
    expect(
      (await artifacts(request.specId, "REQUIREMENTS")).map((a) => [a.version, a.status]),
    ).toEqual([
      [1, "SUPERSEDED"],
      [2, "DRAFT"],
    ]);
  });

  it("refuses an approval after the spec moved on with a CONFLICT naming the current state", async () => {
    const provider = offlineProvider();
    const request = await specRunning(db, {
      actor,
      ticketId: await newTicket(),
      phase: "REQUIREMENTS",
    });
    await runSpecPhase(db, { request, step: memoSteps(), provider });
    const input = { specId: request.specId, phase: "REQUIREMENTS" as const };
    await approvePhase(db, { actor, input });
    sentRequests();

    const stale = await approvePhase(db, { actor, input }).catch((error: unknown) => error);

    expect(stale).toBeInstanceOf(AppError);
    expect(stale).toMatchObject({
      code: "CONFLICT",
      status: 409,
      message: "Cannot approve requirements: the spec is design running.",
      details: { currentState: "DESIGN_RUNNING" },
    });
    expect(sentRequests()).toEqual([]); // nothing queued twice
    expect(await db.approval.count({ where: { specId: request.specId } })).toBe(1);
  });
});

describe("a project that approves every phase automatically", () => {
  it("runs the phases one after another to execution, with approvals by nobody", async () => {
    const provider = offlineProvider();
    const { project, ticket } = await createProjectWithTicket(db, actor, "Auto");
    await db.project.update({
      where: { id: project.id },
      data: { approvalRequirements: "AUTO", approvalDesign: "AUTO", approvalTasks: "AUTO" },
    });
    await startTicketSpec(db, { actor, input: { ticketId: ticket.id } });
    let [request] = sentRequests();
    const phases: string[] = [];

    while (request) {
      phases.push(`${request.phase} v${request.version}`);
      const result = await runSpecPhase(db, { request, step: memoSteps(), provider });
      expect(result).toMatchObject({ saved: request.version });
      const next = "next" in result ? result.next : null;
      // The queue-next step sent exactly the request the run returned.
      expect(sentRequests()).toEqual(next ? [next] : []);
      request = next ?? undefined;
      if (phases.length > 3) throw new Error(`the pipeline did not stop: ${phases.join(", ")}`);
    }

    expect(phases).toEqual(["REQUIREMENTS v1", "DESIGN v1", "TASKS v1"]);
    const specId = (await db.spec.findFirstOrThrow({ where: { ticketId: ticket.id } })).id;
    expect((await specOf(specId)).state).toBe("EXECUTING");
    const approvals = await db.approval.findMany({
      where: { specId },
      orderBy: { createdAt: "asc" },
      select: { phase: true, version: true, decision: true, actorId: true },
    });
    expect(approvals).toEqual([
      { phase: "REQUIREMENTS", version: 1, decision: "APPROVED", actorId: null },
      { phase: "DESIGN", version: 1, decision: "APPROVED", actorId: null },
      { phase: "TASKS", version: 1, decision: "APPROVED", actorId: null },
    ]);
    const autoApprovals = await db.activityEvent.findMany({
      where: { specId, type: "spec.approved" },
      select: { actorId: true, data: true },
    });
    expect(autoApprovals).toHaveLength(3);
    for (const event of autoApprovals) {
      expect(event).toMatchObject({ actorId: null, data: { auto: true } });
    }
    expect(await db.task.count({ where: { specId } })).toBeGreaterThan(0);
  });

  it("still queues the next phase when the save step runs again after its result was lost", async () => {
    const provider = offlineProvider();
    const { project, ticket } = await createProjectWithTicket(db, actor, "Auto crash");
    await db.project.update({
      where: { id: project.id },
      data: { approvalRequirements: "AUTO" },
    });
    await startTicketSpec(db, { actor, input: { ticketId: ticket.id } });
    const [request] = sentRequests();
    // The save commits (and auto-approves), then the process dies before the engine records it.
    const step = memoSteps({ loseResultOf: "save" });
    await expect(runSpecPhase(db, { request: request!, step, provider })).rejects.toThrow(
      LostStepResult,
    );
    expect(sentRequests()).toEqual([]);

    // The engine replays the run: load and generate answer from storage, save runs again.
    const result = await runSpecPhase(db, { request: request!, step, provider });

    const next = { ...request, phase: "DESIGN", version: 1 };
    expect(step.ran).toEqual(["load", "generate", "save", "save", "queue-next"]);
    expect(result).toEqual({ saved: 1, next });
    expect(sentRequests()).toEqual([next]);
    expect((await specOf(request!.specId)).state).toBe("DESIGN_RUNNING");
    expect(await db.approval.count({ where: { specId: request!.specId } })).toBe(1);
    expect(await artifacts(request!.specId, "REQUIREMENTS")).toHaveLength(1);
  });
});
