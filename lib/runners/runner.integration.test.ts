// Must-show: self-hosted runners end to end. The runner is its own process (the command the
// package ships), talking HTTP to the real route handlers served by this test process; the
// project's repository is a bare "remote" the runner clones and pushes to. The runner process
// gets no DATABASE_URL: everything it knows comes over the API.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as claimRoute from "@/app/api/runner/v1/claim/route";
import * as taskRoute from "@/app/api/runner/v1/tasks/[taskId]/[event]/route";
import { updateModelRouting } from "@/lib/agents/update-model-routing";
import { callApi, mintApiKey } from "@/lib/api/v1/testing/api-client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { getTaskDetail } from "@/lib/execution/get-task-detail";
import {
  approvedGraph,
  git,
  plannedTask,
  waitFor,
} from "@/lib/execution/testing/execution-fixtures";
import type { Actor } from "@/lib/orgs/roles";
import { createProject } from "@/lib/projects/create-project";
import { cancelTask } from "@/lib/tasks/cancel-task";
import { claimTasks } from "@/lib/tasks/claim-tasks";
import { requeueStaleTasks } from "@/lib/tasks/requeue-stale-tasks";
import { createTaskScope, createTasks } from "@/lib/tasks/testing/task-fixtures";
import { errorReply, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { makeGitRepo } from "@/lib/testing/git-repo";
import { type RouteServer, startRouteServer } from "@/lib/testing/route-server";
import { createUserWithOrg } from "@/prisma/factories";
import type { RunnerAssignment } from "./claim-runner-task";
import { createRunner } from "./create-runner";
import { revokeRunner } from "./revoke-runner";

/** The runner machine's own Anthropic key: the server has none. */
const RUNNER_ANTHROPIC_KEY = "sk-ant-api03-runner-machine-key";
const SERVER_ANTHROPIC_KEY = "sk-ant-api03-server-only-key";
const RUNNER_MAIN = fileURLToPath(new URL("./client/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let database: TestDatabase;
let db: TestDatabase["db"];
let actor: Actor;
let server: RouteServer;
let token: string;
const children: ChildProcess[] = [];

/** A bare repository with one commit on main: the "remote" runners clone and push to. */
function bareRemote(): string {
  const source = makeGitRepo();
  const bare = path.join(mkdtempSync(path.join(os.tmpdir(), "trellis-remote-")), "repo.git");
  execFileSync("git", ["clone", "--quiet", "--bare", source, bare]);
  return bare;
}

/** A project pinned to runners labelled "linux", with a spec whose task graph is approved. */
async function pinnedGraph(description: string) {
  const remote = bareRemote();
  // Pinned to runners: the server never opens the repository, so a bare remote is fine.
  const project = await createProject(db, {
    actor,
    input: {
      name: `Remote ${path.basename(path.dirname(remote))}`,
      localPath: remote,
      runnerLabels: ["linux"],
    },
  });
  const graph = await approvedGraph(db, actor, [plannedTask("1", [], description)], {
    existing: { id: project.id, repo: remote },
  });
  return { ...graph, remote };
}

function startRunner(
  name: string,
  runnerToken = token,
  extraEnv: Record<string, string> = {},
): { child: ChildProcess; output: () => string } {
  const { DATABASE_URL: _hidden, ...environment } = process.env;
  const child = spawn(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      RUNNER_MAIN,
      "--url",
      server.url,
      "--token",
      runnerToken,
      "--workdir",
      mkdtempSync(path.join(os.tmpdir(), `trellis-${name}-`)),
      "--lease-ms",
      "3000",
      "--wait-ms",
      "2000",
    ],
    {
      cwd: ROOT,
      env: { ...environment, LOG_LEVEL: "warn", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  children.push(child);
  return { child, output: () => output };
}

/** Gone before the next test queues work it could claim. */
async function stopRunner(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  process.env.DATABASE_URL = database.url;
  resetEnvForTests();
  actor = (await createUserWithOrg(db, "Ada")).actor;
  await db.organization.update({ where: { id: actor.orgId }, data: { plan: "PRO" } });
  token = (await createRunner(db, { actor, input: { name: "ci-box", labels: ["linux", "x64"] } }))
    .token;
  server = await startRouteServer([
    { path: "/api/runner/v1/claim", handlers: claimRoute },
    { path: "/api/runner/v1/tasks/:taskId/:event", handlers: taskRoute },
  ]);
});

afterEach(async () => {
  await Promise.all(children.map(stopRunner));
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe("self-hosted runner", () => {
  it("runs a pinned task: its log streams in while it runs, its branches are pushed to the remote", async () => {
    const { specId, remote } = await pinnedGraph("[offline:sleep 3000]");
    // The built-in runner leaves tasks pinned to runners alone.
    expect(await claimTasks(db, { workerId: "built-in", limit: 5 })).toEqual([]);

    const runner = startRunner("runner-a");
    const task = await waitFor(
      db,
      () => db.task.findFirstOrThrow({ where: { specId } }),
      (t) => t.status === "RUNNING",
      30_000,
    );
    // While the agent works, its log is on the task page.
    const live = await waitFor(
      db,
      () => getTaskDetail(db, { actor, taskId: task.id }),
      (d) => d.logs.some((l) => l.text.includes("Test hook [offline:sleep 3000]")),
      10_000,
    );
    expect(live.task.status).toBe("RUNNING");
    expect(live.latest?.status).toBe("RUNNING");

    await waitFor(
      db,
      () => db.spec.findUniqueOrThrow({ where: { id: specId } }),
      (s) => s.state === "DONE",
      60_000,
    ).catch((error) => {
      throw new Error(`${error}\nrunner output:\n${runner.output()}`);
    });
    const detail = await getTaskDetail(db, { actor, taskId: task.id });
    expect(detail.task.status).toBe("DONE");
    expect(detail.latest?.status).toBe("SUCCEEDED");
    // The runner has no Anthropic key: its run records the offline agent, as the built-in
    // runner's do, on the task page and in the REST API alike.
    expect(detail.latest?.agentKind).toBe("OFFLINE");
    const { key } = await mintApiKey(db, actor, "READ");
    const run = await callApi("GET", "/runs/{runId}", {
      key,
      params: { runId: detail.latest!.id },
    });
    expect(await run.json()).toMatchObject({ id: detail.latest!.id, agent_kind: "offline" });
    // A diff stat, not the source: the code stays on the runner and its remote.
    expect(detail.latest?.diff).toMatch(/^\.trellis\/tasks\/1-task-1\.md \| \+\d+ -0$/);
    expect(detail.logs.some((l) => l.text.startsWith("Pushed trellis/"))).toBe(true);
    expect(detail.latest?.verifications).toEqual([]);
    // The trace comes back without content: steps, names and timings, never the file written.
    const trace = await db.runTraceEvent.findMany({
      where: { runId: detail.latest!.id },
      orderBy: { seq: "asc" },
    });
    expect(trace.map((e) => `${e.kind}:${e.name}`)).toEqual([
      "note:agent round",
      "note:offline agent",
      "tool_call:write_file",
    ]);
    expect(trace[2]?.data).toEqual({ redacted: true, isError: false });

    const spec = await db.spec.findUniqueOrThrow({ where: { id: specId } });
    const subjects = git(remote, "log", "--format=%s", spec.integrationBranch!).split("\n");
    expect(subjects.filter((s) => s === "1 Task 1")).toHaveLength(1);
    expect(git(remote, "branch", "--list", `${spec.integrationBranch}--task-1`)).toContain(
      "task-1",
    );
    // Gone before the next test queues work, so its last long poll cannot take that work.
    const exited = once(runner.child, "exit");
    runner.child.kill("SIGTERM");
    await exited;
  }, 90_000);

  it("after kill -9 of the runner mid-task, a second runner takes the task once the lease lapses and completes it", async () => {
    const { specId, remote } = await pinnedGraph("[offline:sleep 6000]");
    const first = startRunner("runner-dies");
    const task = await waitFor(
      db,
      () => db.task.findFirstOrThrow({ where: { specId } }),
      (t) => t.status === "RUNNING",
      30_000,
    );
    await waitFor(
      db,
      () => db.runLog.count({ where: { run: { taskId: task.id } } }),
      (n) => n > 0,
      20_000,
    ).catch((error) => {
      throw new Error(`${error}\nfirst runner output:\n${first.output()}`);
    });
    first.child.kill("SIGKILL");

    const second = startRunner("runner-b");
    // The worker's sweep, as it runs every 15 s in production.
    const done = await waitFor(
      db,
      async () => {
        await requeueStaleTasks(db, {});
        return db.task.findFirstOrThrow({ where: { specId }, include: { runs: true } });
      },
      (t) => t.status === "DONE",
      90_000,
    ).catch((error) => {
      throw new Error(`${error}\nsecond runner output:\n${second.output()}`);
    });
    expect(done.attempts).toBe(2);
    expect(done.runs.map((r) => r.status).sort()).toEqual(["FAILED", "SUCCEEDED"]);
    const spec = await waitFor(
      db,
      () => db.spec.findUniqueOrThrow({ where: { id: specId } }),
      (s) => s.state === "DONE",
      10_000,
    );
    const subjects = git(remote, "log", "--format=%s", spec.integrationBranch!).split("\n");
    expect(subjects.filter((s) => s === "1 Task 1")).toHaveLength(1);
  }, 150_000);

  it("runs the Claude agent on the organization's routed model and fallback, with the runner's own API key", async () => {
    // Small coding tasks (the fixture's estimate is 10 minutes) take the light entry; the coding
    // entry is set too, to show it is not the one used.
    await updateModelRouting(db, {
      actor,
      input: {
        models: {
          coder: { model: "claude-opus-4-8" },
          "coder-light": { model: "claude-haiku-4-5", fallback: "claude-sonnet-4-6" },
        },
      },
    });
    const fake = await startFakeAnthropic({ apiKey: RUNNER_ANTHROPIC_KEY });
    // The primary stays overloaded through every retry; the fallback writes a file and finishes.
    let fallbackCalls = 0;
    fake.setDefault((request) => {
      if (request.body.model !== "claude-sonnet-4-6") return errorReply(529, "Overloaded", "0");
      fallbackCalls++;
      return fallbackCalls === 1
        ? {
            kind: "tool_use",
            name: "write_file",
            input: { path: "HELLO.md", content: "hello from the runner\n" },
          }
        : { kind: "tool_use", name: "finish", input: { summary: "Wrote HELLO.md." } };
    });
    try {
      const { specId } = await pinnedGraph("Write HELLO.md.");
      const runner = startRunner("runner-claude", token, {
        ANTHROPIC_API_KEY: RUNNER_ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: fake.url,
      });
      const task = await waitFor(
        db,
        () => db.task.findFirstOrThrow({ where: { specId } }),
        (t) => t.status === "DONE" || t.status === "FAILED" || t.status === "NEEDS_ATTENTION",
        60_000,
      ).catch((error) => {
        throw new Error(`${error}\nrunner output:\n${runner.output()}`);
      });
      expect(task.status, runner.output()).toBe("DONE");
      const models = fake.requests.map((r) => r.body.model);
      expect(models.length).toBeGreaterThan(2);
      expect(new Set(models)).toEqual(new Set(["claude-haiku-4-5", "claude-sonnet-4-6"]));
      expect(models.indexOf("claude-sonnet-4-6")).toBe(models.lastIndexOf("claude-haiku-4-5") + 1);
      // The runner used its own key: the server has none, and the assignment carries none.
      const keys = fake.requests.map((r) => r.headers["x-api-key"] ?? r.headers.authorization);
      expect(new Set(keys)).toEqual(new Set([`Bearer ${RUNNER_ANTHROPIC_KEY}`]));
      const detail = await getTaskDetail(db, { actor, taskId: task.id });
      const usage = await db.usageRecord.findMany({ where: { runId: detail.latest!.id } });
      expect(usage.map((u) => u.model)).toEqual(["claude-sonnet-4-6", "claude-sonnet-4-6"]);
      expect(detail.latest?.agentKind).toBe("CLAUDE");
      const exited = once(runner.child, "exit");
      runner.child.kill("SIGTERM");
      await exited;
    } finally {
      await fake.close();
      await updateModelRouting(db, { actor, input: { models: {} } });
    }
  }, 90_000);

  it("hands a runner the routed model in its assignment, and no secret of the server", async () => {
    await updateModelRouting(db, {
      actor,
      input: { models: { "coder-light": { model: "claude-haiku-4-5" } } },
    });
    const { specId } = await pinnedGraph("");
    // Were the server's own key in the assignment, the runner would hold it.
    process.env.ANTHROPIC_API_KEY = SERVER_ANTHROPIC_KEY;
    resetEnvForTests();
    const response = await fetch(`${server.url}/api/runner/v1/claim`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ waitMs: 0 }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const assignment = JSON.parse(text) as RunnerAssignment;
    // An override without a fallback keeps the entry's default fallback, as the built-in runner does.
    expect(assignment.model).toEqual({ model: "claude-haiku-4-5", fallback: "claude-opus-5-5" });
    delete process.env.ANTHROPIC_API_KEY;
    resetEnvForTests();
    expect(text).not.toContain(SERVER_ANTHROPIC_KEY);
    expect(text).not.toMatch(/sk-ant|apiKey|api_key|ANTHROPIC/i);
    // A runner that does not say what it can run (an older one) picks its agent itself: the
    // assignment names none and the run records none.
    expect(assignment.agentKind).toBeUndefined();
    expect((await db.run.findUniqueOrThrow({ where: { id: assignment.runId } })).agentKind).toBe(
      null,
    );
    // Nobody runs it: cancelled, so it holds no agent slot of the organization.
    await cancelTask(db, { actor, taskId: assignment.task.id });
    expect((await db.task.findFirstOrThrow({ where: { specId } })).status).toBe("CANCELLED");
    await updateModelRouting(db, { actor, input: { models: {} } });
  });

  it("names the agent in the assignment and on the run: the project's command first, then Claude where the runner has a key", async () => {
    const claim = async (claude: boolean) => {
      const response = await fetch(`${server.url}/api/runner/v1/claim`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ waitMs: 0, claude }),
      });
      expect(response.status).toBe(200);
      const assignment = (await response.json()) as RunnerAssignment;
      const run = await db.run.findUniqueOrThrow({ where: { id: assignment.runId } });
      // Nobody runs it: cancelled, so it holds no agent slot of the organization.
      await cancelTask(db, { actor, taskId: assignment.task.id });
      return { sent: assignment.agentKind, recorded: run.agentKind };
    };
    await pinnedGraph("");
    expect(await claim(true)).toEqual({ sent: "CLAUDE", recorded: "CLAUDE" });
    const { projectId } = await pinnedGraph("");
    await db.project.update({ where: { id: projectId }, data: { agentCommand: "aider --yes" } });
    expect(await claim(true)).toEqual({ sent: "CLI", recorded: "CLI" });
  });

  it("gets nothing while its organization runs as many agents as its plan allows, and the task once one stops", async () => {
    const { specId } = await pinnedGraph("");
    // Pro runs five at once: five tasks of another project already running.
    const busy = await createTaskScope(db, { orgId: actor.orgId, name: "Busy" });
    const running = await createTasks(db, busy, 5, { status: "RUNNING" });
    const claim = () =>
      fetch(`${server.url}/api/runner/v1/claim`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ waitMs: 0 }),
      });
    expect((await claim()).status).toBe(204);
    expect((await db.task.findFirstOrThrow({ where: { specId } })).status).toBe("QUEUED");
    await db.task.update({ where: { id: running[0]! }, data: { status: "DONE" } });
    const response = await claim();
    expect(response.status).toBe(200);
    const assignment = (await response.json()) as RunnerAssignment;
    expect((await db.task.findUniqueOrThrow({ where: { id: assignment.task.id } })).specId).toBe(
      specId,
    );
    // Nobody runs them: out of the way of the next test.
    await cancelTask(db, { actor, taskId: assignment.task.id });
    await db.task.deleteMany({ where: { id: { in: running } } });
  });

  it("a runner of another organization cannot claim, read or write this organization's tasks; a revoked token is refused", async () => {
    const { specId } = await pinnedGraph("");
    const task = await db.task.findFirstOrThrow({ where: { specId } });
    const stranger = (await createUserWithOrg(db, "Eve")).actor;
    const foreign = await createRunner(db, {
      actor: stranger,
      input: { name: "eve-box", labels: ["linux"] },
    });
    const post = (pathname: string, body: unknown, bearer: string) =>
      fetch(`${server.url}${pathname}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    const claim = await post("/api/runner/v1/claim", { waitMs: 0 }, foreign.token);
    expect(claim.status).toBe(204);
    for (const event of ["heartbeat", "logs", "finish"]) {
      const response = await post(
        `/api/runner/v1/tasks/${task.id}/${event}`,
        { attempt: 1, runId: "run_x", leaseMs: 3000, lines: [], outcome: "failed", error: "x" },
        foreign.token,
      );
      expect({ event, status: response.status }).toEqual({ event, status: 404 });
    }
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("QUEUED");

    await revokeRunner(db, { actor: stranger, input: { runnerId: foreign.runner.id } });
    const revoked = await post("/api/runner/v1/claim", { waitMs: 0 }, foreign.token);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    // Our runner takes it, and a bad body is refused with the field named.
    const bad = await post("/api/runner/v1/claim", { waitMs: "soon" }, token);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { details: { fields: { waitMs: expect.any(String) } } },
    });
  });
});
