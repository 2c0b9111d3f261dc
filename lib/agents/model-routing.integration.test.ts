// Model routing set in Settings, end to end: the domain call (admins only, other settings kept,
// ids checked per field), the activity it records, and the calls that then use the models — the
// Claude agent and a structured call, both through the real SDK against the fake Messages API.
import { rm } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { describeActivity } from "@/lib/activity/describe-activity";
import { AnthropicProvider } from "@/lib/agents/anthropic-provider";
import { getAgentBackend } from "@/lib/agents/backends/get-agent-backend";
import { recordingContext, tempWorktree } from "@/lib/agents/backends/test-context";
import { callModel } from "@/lib/agents/call-model";
import { getModelRouting } from "@/lib/agents/get-model-routing";
import { resolveModel, taskModel } from "@/lib/agents/models";
import { updateModelRouting } from "@/lib/agents/update-model-routing";
import { AppError } from "@/lib/api/app-error";
import { toAppError } from "@/lib/api/to-app-error";
import { mergeOrgSettings } from "@/lib/callbacks/callback-settings";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import type { Actor } from "@/lib/orgs/roles";
import { errorReply, type FakeAnthropic, startFakeAnthropic } from "@/lib/testing/fake-anthropic";
import { addMember, createUserWithOrg } from "@/prisma/factories";

let database: TestDatabase;
let db: TestDatabase["db"];
let owner: Actor;
let admin: Actor;
let member: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  owner = (await createUserWithOrg(db, "Ada")).actor;
  admin = (await addMember(db, owner.orgId, "ADMIN")).actor;
  member = (await addMember(db, owner.orgId, "MEMBER")).actor;
  await mergeOrgSettings(db, owner.orgId, {
    allowedCallbackHosts: ["hooks.internal"],
    budgets: { monthlyUsd: 50 },
  });
});

afterAll(async () => {
  await database?.drop();
});

const settingsOf = async () =>
  (await db.organization.findUniqueOrThrow({ where: { id: owner.orgId } })).settings;

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => toAppError(error),
  );

describe("updateModelRouting", () => {
  it("lets an admin route coding to another model and fallback, keeping every other setting", async () => {
    const result = await updateModelRouting(db, {
      actor: admin,
      input: { models: { coder: { model: "claude-sonnet-5-5", fallback: "claude-haiku-4-5" } } },
    });
    const settings = await settingsOf();
    expect(resolveModel("coder", settings)).toEqual({
      model: "claude-sonnet-5-5",
      fallback: "claude-haiku-4-5",
    });
    expect(settings).toMatchObject({
      allowedCallbackHosts: ["hooks.internal"],
      budgets: { monthlyUsd: 50 },
    });
    expect(result.entries.find((e) => e.key === "coder")).toMatchObject({
      model: "claude-sonnet-5-5",
      fallback: "claude-haiku-4-5",
      source: "organization",
    });

    // Settings shows it; small coding tasks follow it until they get their own choice.
    const { entries } = await getModelRouting(db, { actor: member });
    expect(entries.find((e) => e.key === "coder-light")).toMatchObject({
      model: "claude-sonnet-5-5",
      source: "coder",
      override: null,
    });
    expect(entries.find((e) => e.key === "planner")).toMatchObject({
      model: "claude-opus-5-5",
      source: "default",
    });

    const [event] = await db.activityEvent.findMany({
      where: { orgId: owner.orgId, type: "org.models_updated" },
      include: { actor: { select: { name: true, email: true } } },
    });
    expect(
      describeActivity({ ...event!, actorKind: event!.actorKind, project: null, ticket: null }),
    ).toBe(
      "admin changed the model routing: Coding to claude-sonnet-5-5 (fallback claude-haiku-4-5)",
    );
  });

  it("accepts an id without a price, and 'use default' removes the override", async () => {
    await updateModelRouting(db, {
      actor: owner,
      input: { models: { reviewer: { model: "claude-future-9" } } },
    });
    const { entries } = await getModelRouting(db, { actor: owner });
    expect(entries.find((e) => e.key === "reviewer")).toMatchObject({
      model: "claude-future-9",
      unpriced: ["claude-future-9"],
    });
    await updateModelRouting(db, { actor: owner, input: { models: { reviewer: null } } });
    expect(resolveModel("reviewer", await settingsOf()).model).toBe("claude-sonnet-5-5");
    expect(resolveModel("coder", await settingsOf()).model).toBe("claude-sonnet-5-5");
  });

  it("refuses a member with FORBIDDEN and changes nothing", async () => {
    const before = await settingsOf();
    const error = await codeOf(
      updateModelRouting(db, {
        actor: member,
        input: { models: { coder: { model: "claude-opus-4-8" } } },
      }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("FORBIDDEN");
    expect(await settingsOf()).toEqual(before);
  });

  it("refuses an invalid id naming the field, and changes nothing", async () => {
    const before = await settingsOf();
    const error = (await codeOf(
      updateModelRouting(db, {
        actor: admin,
        input: {
          models: { planner: { model: "claude-opus-5-5", fallback: "not a model id" } },
        },
      }),
    )) as AppError;
    expect(error.code).toBe("INVALID");
    expect(error.details?.fields).toEqual({
      "models.planner.fallback": "Use a model id such as claude-sonnet-5-5",
    });
    expect(await settingsOf()).toEqual(before);
  });
});

describe("calls after the change use the organization's models", () => {
  let fake: FakeAnthropic;
  let worktree: string;
  const savedKey = process.env.ANTHROPIC_API_KEY;
  const savedUrl = process.env.ANTHROPIC_BASE_URL;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    worktree = await tempWorktree();
    process.env.ANTHROPIC_API_KEY = fake.apiKey;
    process.env.ANTHROPIC_BASE_URL = fake.url;
    resetEnvForTests();
  });
  afterEach(async () => {
    for (const [name, value] of [
      ["ANTHROPIC_API_KEY", savedKey],
      ["ANTHROPIC_BASE_URL", savedUrl],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvForTests();
    await fake.close();
    await rm(worktree, { recursive: true, force: true });
  });

  it("runs the Claude agent on the coding model the admin chose", async () => {
    await updateModelRouting(db, {
      actor: admin,
      input: { models: { coder: { model: "claude-sonnet-5-5", fallback: "claude-haiku-4-5" } } },
    });
    fake.enqueue({ kind: "tool_use", name: "finish", input: { summary: "Nothing to do." } });
    const agent = getAgentBackend({
      kind: "CLAUDE",
      model: taskModel(await settingsOf(), { estimateMinutes: null }),
    });
    const ctx = recordingContext(worktree);
    expect((await agent.run(ctx)).outcome).toBe("completed");
    expect(fake.requests.map((r) => r.body.model)).toEqual(["claude-sonnet-5-5"]);
    expect(ctx.usage[0]?.model).toBe("claude-sonnet-5-5");
  });

  it("falls back to the organization's fallback and records usage per model", async () => {
    await updateModelRouting(db, {
      actor: admin,
      input: { models: { planner: { model: "claude-opus-4-8", fallback: "claude-haiku-4-5" } } },
    });
    fake.setDefault((request) =>
      request.body.model === "claude-opus-4-8"
        ? errorReply(529, "Overloaded")
        : { kind: "tool_use", input: { title: "Search" } },
    );
    const result = await callModel(db, {
      orgId: owner.orgId,
      provider: new AnthropicProvider({
        apiKey: fake.apiKey,
        baseURL: fake.url,
        random: () => 0.5,
        sleep: async () => {},
      }),
      request: {
        role: "planner",
        purpose: "requirements",
        system: "You write requirements.",
        prompt: "Add search.",
        toolName: "submit",
        toolDescription: "Submit the answer.",
        schema: z.object({ title: z.string() }),
        context: {},
      },
    });
    expect(result.value).toEqual({ title: "Search" });
    const models = fake.requests.map((r) => r.body.model);
    expect(new Set(models)).toEqual(new Set(["claude-opus-4-8", "claude-haiku-4-5"]));
    expect(models.at(-1)).toBe("claude-haiku-4-5");
    const usage = await db.usageRecord.findMany({ where: { orgId: owner.orgId, role: "planner" } });
    expect(usage.map((u) => u.model)).toEqual(["claude-haiku-4-5"]);
  });
});
