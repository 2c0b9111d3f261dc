import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { AnthropicProvider, LlmError } from "@/lib/agents/anthropic-provider";
import { callModel } from "@/lib/agents/call-model";
import type { StructuredRequest } from "@/lib/agents/llm-provider";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import {
  errorReply,
  type FakeAnthropic,
  type FakeReply,
  startFakeAnthropic,
} from "@/lib/testing/fake-anthropic";
import { createUserWithOrg } from "@/prisma/factories";

const requirementsSchema = z.object({
  requirements: z
    .array(z.object({ id: z.string().regex(/^R\d+$/), text: z.string().min(1) }))
    .min(1),
});
type Requirements = z.infer<typeof requirementsSchema>;

const good: Requirements = {
  requirements: [{ id: "R1", text: "WHEN a user types a query THE SYSTEM SHALL list matches." }],
};

const request: StructuredRequest<Requirements> = {
  role: "planner",
  purpose: "requirements",
  system: "You write EARS requirements for a ticket.",
  prompt: "Ticket: add search to the project list.",
  toolName: "write_requirements",
  toolDescription: "Record the requirements for the ticket.",
  schema: requirementsSchema,
  context: {},
};

const toolUse = (input: unknown, input_tokens = 100, output_tokens = 50): FakeReply => ({
  kind: "tool_use",
  input,
  usage: { input_tokens, output_tokens },
});

let database: TestDatabase;
let fake: FakeAnthropic;
let sleeps: number[];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

beforeEach(async () => {
  fake = await startFakeAnthropic();
  sleeps = [];
});

afterEach(async () => {
  await fake.close();
});

function provider(options: { apiKey?: string; timeoutMs?: number; random?: () => number } = {}) {
  return new AnthropicProvider({
    apiKey: options.apiKey ?? fake.apiKey,
    baseURL: fake.url,
    timeoutMs: options.timeoutMs,
    random: options.random ?? (() => 0.5),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

async function newOrg() {
  const { org } = await createUserWithOrg(database.db, "Grace");
  return org;
}

async function usageRows(orgId: string) {
  return database.db.usageRecord.findMany({ where: { orgId }, orderBy: { createdAt: "asc" } });
}

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

describe("AnthropicProvider against a local Messages API", () => {
  it("returns a good tool-use answer and records its usage and cost", async () => {
    const org = await newOrg();
    fake.enqueue(toolUse(good, 1200, 300));

    const result = await callModel(database.db, {
      orgId: org.id,
      provider: provider(),
      request,
    });

    expect(result.value).toEqual(good);
    expect(result).toMatchObject({
      model: "claude-opus-5-5",
      inputTokens: 1200,
      outputTokens: 300,
      attempts: 1,
    });
    // Opus 5.5 at $4 / $20 per million tokens.
    expect(result.costUsd).toBeCloseTo(0.0108, 6);

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    // SDK 1.x sends the key as a bearer token and pins API version 2026-10-21.
    expect(sent.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent.headers["anthropic-version"]).toBe("2026-10-21");
    expect(sent.body.model).toBe("claude-opus-5-5");
    expect(sent.body.system).toContain("You write EARS requirements");
    expect(sent.body.tools).toHaveLength(1);
    expect(sent.body.tools?.[0]).toMatchObject({
      name: "write_requirements",
      description: "Record the requirements for the ticket.",
      input_schema: { type: "object", required: ["requirements"] },
    });
    // Opus 5.5 rejects a forced tool choice, so the one tool is offered with `auto`.
    expect(sent.body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });

    const rows = await usageRows(org.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      role: "planner",
      model: "claude-opus-5-5",
      inputTokens: 1200,
      outputTokens: 300,
      specId: null,
    });
    expect(rows[0]!.costUsd.toString()).toBe("0.0108");
    expect(rows[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("forces the tool on models that accept it, using the organization's override", async () => {
    const org = await newOrg();
    await database.db.organization.update({
      where: { id: org.id },
      data: { settings: { models: { planner: { model: "claude-opus-5" } } } },
    });
    fake.enqueue(toolUse(good, 1000, 1000));

    const result = await callModel(database.db, { orgId: org.id, provider: provider(), request });

    expect(result.model).toBe("claude-opus-5");
    expect(fake.requests[0]!.body.model).toBe("claude-opus-5");
    expect(fake.requests[0]!.body.tool_choice).toEqual({
      type: "tool",
      name: "write_requirements",
    });
    const rows = await usageRows(org.id);
    expect(rows.map((r) => [r.model, r.costUsd.toString()])).toEqual([["claude-opus-5", "0.03"]]);
  });

  it("re-asks once with the zod issues when an answer fails the schema, summing tokens", async () => {
    fake.enqueue(toolUse({ requirements: [{ id: 7, text: "" }] }, 100, 40), toolUse(good, 180, 60));

    const result = await provider().generateStructured(request);

    expect(result.value).toEqual(good);
    expect(result.attempts).toBe(2);
    expect(result.inputTokens).toBe(280);
    expect(result.outputTokens).toBe(100);
    expect(fake.requests).toHaveLength(2);

    const messages = fake.requests[1]!.body.messages;
    expect(messages).toHaveLength(3);
    const assistant = messages[1]!;
    expect(assistant.role).toBe("assistant");
    const toolUseBlock = (assistant.content as Array<Record<string, unknown>>)[0]!;
    expect(toolUseBlock.type).toBe("tool_use");
    const reask = messages[2]!;
    expect(reask.role).toBe("user");
    const toolResult = (reask.content as Array<Record<string, unknown>>)[0]!;
    expect(toolResult).toMatchObject({
      type: "tool_result",
      tool_use_id: toolUseBlock.id,
      is_error: true,
    });
    expect(String(toolResult.content)).toContain("requirements.0.id:");
    expect(String(toolResult.content)).toContain("requirements.0.text:");
  });

  it("re-asks when the model answers in text instead of calling the tool", async () => {
    fake.enqueue({ kind: "text", text: "Here are the requirements: R1 ..." }, toolUse(good));

    const result = await provider().generateStructured(request);

    expect(result.attempts).toBe(2);
    const reask = fake.requests[1]!.body.messages[2]!;
    expect(reask.role).toBe("user");
    expect(JSON.stringify(reask.content)).toContain("did not call the `write_requirements` tool");
  });

  it("gives up after three answers that fail the schema and still records the tokens", async () => {
    const org = await newOrg();
    fake.setDefault(toolUse({ requirements: [{ id: "first", text: "x" }] }, 100, 50));

    const error = await rejection(
      callModel(database.db, { orgId: org.id, provider: provider(), request }),
    );

    expect(error.kind).toBe("INVALID_OUTPUT");
    expect(error.userMessage).toMatch(
      /^The model's answer did not match the expected structure after 3 tries: requirements\.0\.id: /,
    );
    expect(fake.requests).toHaveLength(3);
    // INVALID_OUTPUT is not an outage: no fallback model is tried.
    expect(fake.requests.every((r) => r.body.model === "claude-opus-5-5")).toBe(true);
    const rows = await usageRows(org.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ inputTokens: 300, outputTokens: 150 });
    expect(rows[0]!.costUsd.toString()).toBe("0.0042");
  });

  it("retries a 429 after the retry-after it was given", async () => {
    fake.enqueue(errorReply(429, "Number of request tokens has exceeded your rate limit.", "0"));
    fake.enqueue(toolUse(good));

    const result = await provider().generateStructured(request);

    expect(result.value).toEqual(good);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toEqual([0]);
  });

  it("fails a 401 at once with a message that names the key, without retrying", async () => {
    const org = await newOrg();

    const error = await rejection(
      callModel(database.db, {
        orgId: org.id,
        provider: provider({ apiKey: "sk-ant-api03-wrong" }),
        request,
      }),
    );

    expect(error.kind).toBe("PERMANENT");
    expect(error.status).toBe(401);
    expect(error.userMessage).toBe(
      "The Anthropic API rejected the API key (401). Check ANTHROPIC_API_KEY in the server's environment.",
    );
    expect(error.requestId).toMatch(/^req_/);
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(await usageRows(org.id)).toHaveLength(0);
  });

  it("gives up on a persistent 529 after 5 tries with jittered backoff", async () => {
    fake.setDefault(errorReply(529, "Overloaded"));
    const randoms = [0.99, 0, 0.5, 0.99];

    const error = await rejection(
      provider({ random: () => randoms.shift() ?? 0.5 }).generateStructured({
        ...request,
        model: "claude-opus-5-5",
      }),
    );

    expect(error.kind).toBe("RETRYABLE_EXHAUSTED");
    expect(error.status).toBe(529);
    expect(error.userMessage).toBe(
      "Anthropic is overloaded (529) and did not recover after 5 tries.",
    );
    expect(fake.requests).toHaveLength(5);
    // Full jitter: each delay is in [0, min(20 s, 500 ms * 2^retry)).
    expect(sleeps).toEqual([495, 0, 1000, 3960]);
  });

  it("falls back to the fallback model once the primary stays overloaded", async () => {
    const org = await newOrg();
    fake.setDefault((req) =>
      req.body.model === "claude-opus-5-5"
        ? errorReply(529, "Overloaded")
        : toolUse(good, 500, 100),
    );

    const result = await callModel(database.db, { orgId: org.id, provider: provider(), request });

    expect(result.model).toBe("claude-sonnet-5-5");
    expect(result.value).toEqual(good);
    expect(fake.requests.map((r) => r.body.model)).toEqual([
      ...Array(5).fill("claude-opus-5-5"),
      "claude-sonnet-5-5",
    ]);
    expect(sleeps).toHaveLength(4);
    // The overloaded primary consumed no tokens, so only the fallback call is recorded.
    const rows = await usageRows(org.id);
    expect(rows.map((r) => [r.model, r.inputTokens, r.outputTokens, r.costUsd.toString()])).toEqual(
      [["claude-sonnet-5-5", 500, 100, "0.002"]],
    );
  });

  it("retries when the connection is dropped", async () => {
    fake.enqueue({ kind: "drop" }, toolUse(good));

    const result = await provider().generateStructured(request);

    expect(result.value).toEqual(good);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it("retries when the API does not answer in time", async () => {
    fake.enqueue({ kind: "delay", ms: 2_000, reply: toolUse(good) }, toolUse(good));

    const result = await provider({ timeoutMs: 200 }).generateStructured(request);

    expect(result.value).toEqual(good);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });
});
