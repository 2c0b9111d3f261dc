// Traces: a run keeps every model call (prompt and reply), tool call, command and verification
// step; the task page reads them and the route downloads them as a zip folder. The real Claude
// agent runs against the fake Messages API; the offline agent needs no model.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/orgs/[org]/runs/[runId]/trace/route";
import type { AgentBackend } from "@/lib/agents/backends/agent-backend";
import { ClaudeAgent } from "@/lib/agents/backends/claude-agent";
import { OfflineAgent } from "@/lib/agents/backends/offline-agent";
import { costUsd } from "@/lib/agents/models";
import { AppError } from "@/lib/api/app-error";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { claimTasks } from "@/lib/tasks/claim-tasks";
import {
  type FakeAnthropic,
  type FakeReply,
  startFakeAnthropic,
} from "@/lib/testing/fake-anthropic";
import { sessionCookie } from "@/lib/testing/session-cookie";
import { createUserWithOrg } from "@/prisma/factories";
import { exportRunTrace } from "./export-run-trace";
import { getRunTrace } from "./get-run-trace";
import { runTask } from "./run-task";
import { approvedGraph, plannedTask } from "./testing/execution-fixtures";

const MODEL = "claude-sonnet-4-6";
const secret = "trace-route-test-secret-0123456789";

let database: TestDatabase;
let db: TestDatabase["db"];
let fake: FakeAnthropic;
let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
let stranger: Awaited<ReturnType<typeof createUserWithOrg>>;
const worktreesRoot = mkdtempSync(path.join(os.tmpdir(), "trellis-worktrees-"));
const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

const call = (name: string, input: unknown): FakeReply => ({
  kind: "tool_use",
  name,
  input,
  usage: { input_tokens: 1000, output_tokens: 200 },
});

/** One approved one-task spec, claimed and run to the end by `agent`; the run's id. */
async function runOneTask(agent: AgentBackend, workerId: string): Promise<string> {
  await approvedGraph(db, owner.actor, [plannedTask("1", [], "Say hello.")], {
    testCommand: 'test -n "$(ls)"',
  });
  const [task] = await claimTasks(db, { workerId, limit: 1, leaseMs: 60_000 });
  const outcome = await runTask(db, {
    taskId: task!.id,
    workerId,
    worktreesRoot,
    leaseMs: 60_000,
    agent,
  });
  expect(outcome).toBe("done");
  const run = await db.run.findFirstOrThrow({ where: { taskId: task!.id }, select: { id: true } });
  return run.id;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

const getTrace = async (org: string, runId: string, userId: string) =>
  GET(
    new Request(`http://localhost/api/orgs/${org}/runs/${runId}/trace`, {
      headers: { cookie: await sessionCookie(userId, secret) },
    }),
    { params: Promise.resolve({ org, runId }) },
  );

beforeAll(async () => {
  process.env.AUTH_SECRET = secret;
  resetEnvForTests();
  [database, fake] = await Promise.all([createTestDatabase(), startFakeAnthropic()]);
  db = database.db;
  globalForDb.trellisDb = db;
  owner = await createUserWithOrg(db, "Ada");
  stranger = await createUserWithOrg(db, "Mallory");
  await db.organization.update({ where: { id: owner.org.id }, data: { plan: "TEAM" } });
});

afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

describe("run traces", () => {
  let claudeRunId: string;

  it("keeps the Claude agent's model calls, tool calls and verification, with costs", async () => {
    fake.enqueue(
      call("list_files", { path: "." }),
      call("write_file", { path: "src/hello.txt", content: "hello from claude\n" }),
      call("run_command", { command: "cat src/hello.txt" }),
      call("finish", { summary: "Added src/hello.txt." }),
    );
    claudeRunId = await runOneTask(
      new ClaudeAgent({
        apiKey: fake.apiKey,
        baseURL: fake.url,
        model: MODEL,
        random: () => 0,
        sleep: async () => {},
      }),
      "w-trace-claude",
    );

    const trace = await getRunTrace(db, { actor: owner.actor, runId: claudeRunId });
    const models = trace.events.filter((e) => e.kind === "model_call");
    const tools = trace.events.filter((e) => e.kind === "tool_call");
    expect(models.map((e) => e.name)).toEqual([MODEL, MODEL, MODEL, MODEL]);
    expect(tools.map((e) => e.name)).toEqual(["list_files", "write_file", "run_command", "finish"]);
    expect(trace.events.filter((e) => e.kind === "verification").map((e) => e.name)).toEqual([
      "test",
    ]);
    expect(trace.events.map((e) => e.seq)).toEqual(trace.events.map((_, i) => i));

    // The first call carries the system prompt and the opening message; the reply asked for a tool.
    const first = models[0]!.data;
    expect(String(first.system)).toContain("Task 1");
    expect(first.messages).toEqual([
      { role: "user", content: "Start on the task. Call `finish` when it is done." },
    ]);
    expect(first.reply).toEqual([
      expect.objectContaining({ type: "tool_use", name: "list_files", input: { path: "." } }),
    ]);
    expect(first).toMatchObject({
      inputTokens: 1000,
      outputTokens: 200,
      costUsd: costUsd(MODEL, 1000, 200),
    });
    // Later calls record only what is new: the tool results of the previous turn.
    const third = models[2]!.data as { system?: string; messages: Array<{ content: unknown }> };
    expect(third.system).toBeUndefined();
    expect(JSON.stringify(third.messages)).toContain("Wrote 18 bytes to src/hello.txt.");
    expect(tools[1]!.data.input).toEqual({ path: "src/hello.txt", content: "hello from claude\n" });
    expect(String(tools[2]!.data.output)).toContain("hello from claude");

    expect(trace.run.costUsd).toBeCloseTo(4 * costUsd(MODEL, 1000, 200), 6);
    expect(trace.run.inputTokens).toBe(4000);
    expect(trace.run.models).toEqual([MODEL]);
    expect(trace.verifications.map((v) => v.passed)).toEqual([true]);
    expect(trace.logs.length).toBeGreaterThan(0);
    expect(trace.diff).toContain("+hello from claude");
    // Never a key in a trace.
    expect(JSON.stringify(trace)).not.toContain(fake.apiKey);
  });

  it("exports the trace as a folder: trace.jsonl line by line, run.json, diff.patch, log, verification", async () => {
    const trace = await getRunTrace(db, { actor: owner.actor, runId: claudeRunId });
    const { filename, zip } = await exportRunTrace(db, { actor: owner.actor, runId: claudeRunId });
    expect(filename).toBe(`trace-${claudeRunId}.zip`);
    const files = unzipSync(zip);
    const folder = `trace-${claudeRunId}`;
    expect(Object.keys(files).sort()).toEqual(
      ["diff.patch", "log.txt", "run.json", "trace.jsonl", "verification/1-test.txt"].map(
        (f) => `${folder}/${f}`,
      ),
    );
    const read = (name: string) => strFromU8(files[`${folder}/${name}`]!);

    const lines = read("trace.jsonl")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.seq, l.kind, l.name])).toEqual(
      trace.events.map((e) => [e.seq, e.kind, e.name]),
    );
    const firstModel = lines.find((l) => l.kind === "model_call");
    expect(firstModel.data.reply[0].name).toBe("list_files");
    expect(new Date(firstModel.startedAt).getTime()).toBeLessThanOrEqual(
      new Date(firstModel.finishedAt).getTime(),
    );

    const run = await db.run.findUniqueOrThrow({ where: { id: claudeRunId } });
    expect(read("diff.patch")).toBe(run.diff);
    const meta = JSON.parse(read("run.json"));
    expect(meta).toMatchObject({ id: claudeRunId, status: "SUCCEEDED", inputTokens: 4000 });
    expect(meta.costUsd).toBeCloseTo(Number(run.costUsd), 6);
    expect(meta.usage).toHaveLength(4);
    expect(read("log.txt")).toContain("Claude agent completed.");
    expect(read("verification/1-test.txt")).toMatch(/^\$ test -n/);
  });

  it("keeps the offline agent's steps", async () => {
    const runId = await runOneTask(new OfflineAgent(), "w-trace-offline");
    const { events } = await getRunTrace(db, { actor: owner.actor, runId, logs: false });
    expect(events.map((e) => `${e.kind}:${e.name}`)).toEqual([
      "note:agent round",
      "note:offline agent",
      "tool_call:write_file",
      "verification:test",
    ]);
    const write = events[2]!.data as { input: { path: string; content: string } };
    expect(write.input.path).toMatch(/^\.trellis\/tasks\/1-task-1\.md$/);
    expect(write.input.content).toContain("# 1: Task 1");
  });

  it("answers another organization's run as not found, in the domain and on the route", async () => {
    expect(await codeOf(getRunTrace(db, { actor: stranger.actor, runId: claudeRunId }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(exportRunTrace(db, { actor: stranger.actor, runId: claudeRunId }))).toBe(
      "NOT_FOUND",
    );
    expect((await getTrace(stranger.org.slug, claudeRunId, stranger.user.id)).status).toBe(404);
    expect((await getTrace(owner.org.slug, claudeRunId, stranger.user.id)).status).toBe(404);

    const response = await getTrace(owner.org.slug, claudeRunId, owner.user.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="trace-${claudeRunId}.zip"`,
    );
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files)).toContain(`trace-${claudeRunId}/trace.jsonl`);
  });
});
