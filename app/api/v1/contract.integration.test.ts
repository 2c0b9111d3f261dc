// Contract tests generated from the OpenAPI document: every documented operation is called
// through its route module and its answer validated against the schema the document publishes.
// Then, for the same list: another organization's key on this organization's ids (404, nothing
// leaked, nothing changed), a revoked key (401) and a read-only key on write operations (403).
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenApiDocument, OpenApiOperation } from "@/lib/api/v1/openapi";
import { callApi, documentedSchema, mintApiKey } from "@/lib/api/v1/testing/api-client";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { setCallbackResolver } from "@/lib/callbacks/safe-url";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import { runSpecPhase } from "@/lib/specs/run-spec-phase";
import {
  memoSteps,
  offlineProvider,
  recordingEngine,
  specRunning,
} from "@/lib/specs/testing/pipeline-fixtures";
import { createTicket } from "@/lib/tickets/create-ticket";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";
import { GET as getOpenApi } from "./openapi.json/route";

type Method = "GET" | "POST";
interface Case {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** Fields to put over the documented example body (ids that exist only in this test). */
  body?: Record<string, unknown>;
}

describe("REST API contract (from /api/v1/openapi.json)", () => {
  let database: TestDatabase;
  let doc: OpenApiDocument;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };
  const ids = {
    projectId: "",
    ticketId: "",
    approveSpecId: "",
    changesSpecId: "",
    queuedTaskId: "",
    failedTaskId: "",
    runId: "",
    deliveryId: "",
  };
  const keys = { admin: "", write: "", read: "", revoked: "", stranger: "" };
  const secretTitles = [
    "Add search",
    "Export the board",
    "Confidential task",
    "Confidential prompt",
    "src/confidential.ts",
    "token=confidential",
  ];

  beforeAll(async () => {
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    setJobEngine(recordingEngine());
    // The documented example's callback host resolves to a public address.
    setCallbackResolver(async (host) =>
      host === "ci.example.com" ? [{ address: "93.184.216.34", family: 4 }] : [],
    );
    const db = database.db;
    const owner = await createUserWithOrg(db, "Ada");
    const stranger = await createUserWithOrg(db, "Mallory");
    const { project, ticket } = await createProjectWithTicket(db, owner.actor);
    ids.projectId = project.id;
    ids.ticketId = ticket.id;
    // Two specs whose requirements (drafted offline) wait for review: one to approve, one to send back.
    for (const which of ["approveSpecId", "changesSpecId"] as const) {
      const t = await createTicket(db, {
        actor: owner.actor,
        input: { projectId: project.id, title: "Export the board" },
      });
      const request = await specRunning(db, {
        actor: owner.actor,
        ticketId: t.id,
        phase: "REQUIREMENTS",
      });
      await runSpecPhase(db, { request, step: memoSteps(), provider: offlineProvider() });
      ids[which] = request.specId;
    }
    const task = (key: string, status: "QUEUED" | "FAILED") =>
      db.task.create({
        data: {
          orgId: owner.org.id,
          projectId: project.id,
          specId: ids.approveSpecId,
          key,
          title: "Confidential task",
          status,
        },
      });
    ids.queuedTaskId = (await task("1", "QUEUED")).id;
    const failed = await task("2", "FAILED");
    ids.failedTaskId = failed.id;
    const run = await db.run.create({
      data: { orgId: owner.org.id, taskId: failed.id, status: "FAILED", errorMessage: "boom" },
    });
    ids.runId = run.id;
    await db.runLog.createMany({
      data: [1, 2, 3].map((seq) => ({
        orgId: owner.org.id,
        runId: run.id,
        seq,
        text: `line ${seq}`,
      })),
    });

    // Its trace: a model call, a tool call, a command (three pages of one).
    const traceStart = new Date("2026-03-01T10:00:00.000Z");
    await db.runTraceEvent.createMany({
      data: [
        {
          kind: "model_call",
          name: "claude-sonnet-5-5",
          data: { messages: "Confidential prompt", inputTokens: 1200, outputTokens: 80 },
        },
        { kind: "tool_call", name: "read_file", data: { input: { path: "src/confidential.ts" } } },
        { kind: "command", name: "npm test", data: { exitCode: 1, output: "1 failing" } },
      ].map((event, seq) => ({
        orgId: owner.org.id,
        runId: run.id,
        seq,
        ...event,
        startedAt: new Date(traceStart.getTime() + seq * 1000),
        durationMs: 250,
      })),
    });

    // A callback that failed (its URL carries a token, as they often do).
    const delivery = await db.callbackDelivery.create({
      data: {
        orgId: owner.org.id,
        ticketId: ticket.id,
        url: "https://ci.example.com/hooks/trellis?token=confidential",
        payload: { type: "ticket.done", data: { ticket_id: ticket.id } },
        status: "FAILED",
        attempts: 8,
        lastError: "The receiver answered 503",
      },
    });
    ids.deliveryId = delivery.id;

    keys.admin = (await mintApiKey(db, owner.actor, "ADMIN")).key;
    keys.write = (await mintApiKey(db, owner.actor, "WRITE")).key;
    keys.read = (await mintApiKey(db, owner.actor, "READ")).key;
    const revoked = await mintApiKey(db, owner.actor, "ADMIN");
    await revokeApiKey(db, { actor: owner.actor, input: { apiKeyId: revoked.id } });
    keys.revoked = revoked.key;
    keys.stranger = (await mintApiKey(db, stranger.actor, "ADMIN")).key;

    doc = (await (await getOpenApi()).json()) as OpenApiDocument;
  });
  afterAll(async () => {
    setJobEngine(undefined);
    setCallbackResolver(undefined);
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.entries(methods).map(([m, op]) => ({
        path: p,
        method: m.toUpperCase() as Method,
        op: op as OpenApiOperation,
      })),
    );

  // How to call each documented operation successfully against this test's data. Keyed by
  // operationId: an operation added to the document without a case here fails the first test.
  const cases: Record<string, () => Case> = {
    listProjects: () => ({}),
    getProject: () => ({ params: { projectId: ids.projectId } }),
    listTickets: () => ({ query: { project_id: ids.projectId } }),
    createTicket: () => ({ body: { project_id: ids.projectId } }),
    getTicket: () => ({ params: { ticketId: ids.ticketId } }),
    enqueueTask: () => ({}),
    getSpec: () => ({ params: { specId: ids.approveSpecId } }),
    approveSpec: () => ({ params: { specId: ids.approveSpecId } }),
    requestSpecChanges: () => ({ params: { specId: ids.changesSpecId } }),
    exportSpec: () => ({ params: { specId: ids.approveSpecId } }),
    listTasks: () => ({ query: { spec_id: ids.approveSpecId } }),
    getTask: () => ({ params: { taskId: ids.failedTaskId } }),
    cancelTask: () => ({ params: { taskId: ids.queuedTaskId } }),
    retryTask: () => ({ params: { taskId: ids.failedTaskId } }),
    getRun: () => ({ params: { runId: ids.runId } }),
    listRunLogs: () => ({ params: { runId: ids.runId }, query: { limit: "2" } }),
    listRunTraceEvents: () => ({ params: { runId: ids.runId }, query: { limit: "2" } }),
    listActivity: () => ({}),
    listCallbackDeliveries: () => ({ query: { ticket_id: ids.ticketId } }),
    resendCallbackDelivery: () => ({ params: { deliveryId: ids.deliveryId } }),
  };
  /** The narrowest key of this organization that may call an operation. */
  const keyFor = (op: OpenApiOperation) =>
    op["x-required-scope"] === "admin"
      ? keys.admin
      : op["x-required-scope"] === "write"
        ? keys.write
        : keys.read;

  const exampleOf = (op: OpenApiOperation) =>
    op.requestBody?.content["application/json"].example as Record<string, unknown> | undefined;

  const request = (method: Method, p: string, op: OpenApiOperation, key: string, c: Case) =>
    callApi(method, p, {
      key,
      params: c.params,
      query: c.query,
      body: op.requestBody ? { ...exampleOf(op), ...c.body } : undefined,
    });

  it("documents every route file under app/api/v1, and has a case and an example for each operation", () => {
    const routes: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (entry === "route.ts") routes.push(path.relative("app/api/v1", dir));
      }
    };
    walk("app/api/v1");
    const documented = Object.keys(doc.paths).map((p) => p.slice(1).replace(/\{(\w+)\}/g, "[$1]"));
    expect(routes.filter((r) => r !== "openapi.json").sort()).toEqual(documented.sort());
    expect(doc.openapi).toBe("3.1.0");
    const list = operations();
    expect(list.map((o) => o.op.operationId).sort()).toEqual(Object.keys(cases).sort());
    for (const { op } of list.filter((o) => o.op.requestBody)) {
      expect({ op: op.operationId, example: exampleOf(op) !== undefined }).toEqual({
        op: op.operationId,
        example: true,
      });
    }
  });

  it("answers every documented operation with a documented status and a body matching its schema", async () => {
    for (const { path: p, method, op } of operations()) {
      const response = await request(method, p, op, keyFor(op), cases[op.operationId]?.() ?? {});
      const body: unknown = await response.json();
      const documented = op.responses[String(response.status)];
      expect({ op: op.operationId, status: response.status, body }).toMatchObject({
        op: op.operationId,
        status: expect.toSatisfy((s: number) => s >= 200 && s < 300),
      });
      expect(
        documented,
        `${op.operationId}: status ${response.status} is not documented`,
      ).toBeDefined();
      const content = (documented?.content ?? {}) as Record<string, { schema: unknown }>;
      const schema = content["application/json"]?.schema;
      expect(schema, `${op.operationId}: no JSON schema for ${response.status}`).toBeDefined();
      const result = documentedSchema(doc, schema).safeParse(body);
      expect({ op: op.operationId, issues: result.error?.issues ?? [] }).toEqual({
        op: op.operationId,
        issues: [],
      });
    }
  });

  it("pages lists with next_cursor, and refuses a cursor from another organization", async () => {
    const first = await callApi("GET", "/tickets", { key: keys.read, query: { limit: "1" } });
    const page1 = (await first.json()) as { data: { id: string }[]; next_cursor: string | null };
    expect(page1.data).toHaveLength(1);
    expect(page1.next_cursor).toBe(page1.data[0]?.id);
    const second = await callApi("GET", "/tickets", {
      key: keys.read,
      query: { limit: "1", cursor: page1.next_cursor ?? "" },
    });
    const page2 = (await second.json()) as { data: { id: string }[] };
    expect(page2.data[0]?.id).not.toBe(page1.data[0]?.id);

    const foreign = await callApi("GET", "/tickets", {
      key: keys.stranger,
      query: { cursor: ids.ticketId },
    });
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({
      error: { code: "INVALID", details: { fields: { cursor: expect.any(String) } } },
    });
  });

  it("lists a run's trace events in order, page by page, with their details and timings", async () => {
    const pages: { data: Record<string, unknown>[]; next_cursor: string | null }[] = [];
    let cursor: string | undefined;
    do {
      const response = await callApi("GET", "/runs/{runId}/trace", {
        key: keys.read,
        params: { runId: ids.runId },
        query: { limit: "2", ...(cursor ? { cursor } : {}) },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as (typeof pages)[number];
      pages.push(body);
      cursor = body.next_cursor ?? undefined;
    } while (cursor && pages.length < 5);
    expect(pages.map((p) => p.data.map((e) => e.name))).toEqual([
      ["claude-sonnet-5-5", "read_file"],
      ["npm test"],
    ]);
    expect(pages[1]?.next_cursor).toBeNull();
    expect(pages[0]?.data[0]).toEqual({
      seq: 0,
      kind: "model_call",
      name: "claude-sonnet-5-5",
      started_at: "2026-03-01T10:00:00.000Z",
      finished_at: "2026-03-01T10:00:00.250Z",
      duration_ms: 250,
      data: { messages: "Confidential prompt", inputTokens: 1200, outputTokens: 80 },
    });
    expect(pages[1]?.data[0]).toMatchObject({ kind: "command", data: { exitCode: 1 } });

    const bad = await callApi("GET", "/runs/{runId}/trace", {
      key: keys.read,
      params: { runId: ids.runId },
      query: { cursor: "not-a-cursor" },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "INVALID" } });
  });

  it("answers another organization's key with 404 on every id of this organization, leaking and changing nothing", async () => {
    const before = await snapshot();
    const withIds = operations().filter((o) => o.op.parameters.some((p) => p.in === "path"));
    expect(withIds.length).toBeGreaterThan(8);
    for (const { path: p, method, op } of withIds) {
      const response = await request(method, p, op, keys.stranger, cases[op.operationId]?.() ?? {});
      const text = await response.text();
      expect({ op: op.operationId, status: response.status }).toEqual({
        op: op.operationId,
        status: 404,
      });
      expect(JSON.parse(text)).toEqual({
        error: { code: "NOT_FOUND", message: expect.stringMatching(/^\w[\w ]* not found$/) },
      });
      for (const secret of [...Object.values(ids), ...secretTitles])
        expect(text).not.toContain(secret);
    }
    // Ids in bodies and filters are not found either.
    const create = await callApi("POST", "/tickets", {
      key: keys.stranger,
      body: { project_id: ids.projectId, title: "Injected" },
    });
    expect(create.status).toBe(404);
    const list = await callApi("GET", "/tickets", {
      key: keys.stranger,
      query: { project_id: ids.projectId },
    });
    expect(await list.json()).toEqual({ data: [], next_cursor: null });
    expect(await snapshot()).toEqual(before);
  });

  it("answers a revoked key with 401 on every operation", async () => {
    for (const { path: p, method, op } of operations()) {
      const response = await request(method, p, op, keys.revoked, cases[op.operationId]?.() ?? {});
      expect({ op: op.operationId, status: response.status }).toEqual({
        op: op.operationId,
        status: 401,
      });
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.json()).toEqual({
        error: { code: "UNAUTHENTICATED", message: "This API key was revoked." },
      });
    }
  });

  it("refuses every write operation to a read-only key and every admin one to a write key with 403, and writes nothing", async () => {
    const before = await snapshot();
    const admins = operations().filter((o) => o.op["x-required-scope"] === "admin");
    expect(admins.map((a) => a.op.operationId).sort()).toEqual([
      "listCallbackDeliveries",
      "resendCallbackDelivery",
    ]);
    for (const { path: p, method, op } of admins) {
      for (const key of [keys.read, keys.write]) {
        const response = await request(method, p, op, key, cases[op.operationId]?.() ?? {});
        expect({ op: op.operationId, status: response.status }).toEqual({
          op: op.operationId,
          status: 403,
        });
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({
          error: { code: "FORBIDDEN", message: "This needs an API key with the admin scope." },
        });
        expect(text).not.toContain("confidential");
      }
    }
    const writes = operations().filter((o) => o.op["x-required-scope"] === "write");
    expect(writes.map((w) => w.op.operationId).sort()).toEqual(
      [
        "approveSpec",
        "cancelTask",
        "createTicket",
        "enqueueTask",
        "requestSpecChanges",
        "retryTask",
      ].sort(),
    );
    for (const { path: p, method, op } of writes) {
      const response = await request(method, p, op, keys.read, cases[op.operationId]?.() ?? {});
      expect({ op: op.operationId, status: response.status }).toEqual({
        op: op.operationId,
        status: 403,
      });
      expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    expect(await snapshot()).toEqual(before);
    // ...and reads work with the same key.
    expect((await callApi("GET", "/projects", { key: keys.read })).status).toBe(200);
  });

  it("answers a missing or malformed key with 401 before touching anything", async () => {
    const missing = await callApi("GET", "/projects");
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    const typo = `${keys.write.slice(0, 10)}${keys.write[10] === "a" ? "b" : "a"}${keys.write.slice(11)}`;
    const malformed = await callApi("GET", "/projects", { key: typo });
    expect(await malformed.json()).toEqual({
      error: {
        code: "UNAUTHENTICATED",
        message: "This is not a valid Trellis API key (check that it was copied whole).",
      },
    });
  });

  it("records what a key did as an API action in the activity", async () => {
    const response = await callApi("GET", "/activity", {
      key: keys.read,
      query: { type: "ticket.created" },
    });
    const { data } = (await response.json()) as { data: { actor_kind: string; summary: string }[] };
    expect(data.some((e) => e.actor_kind === "api" && e.summary.includes("(API key)"))).toBe(true);
  });

  /** What the write operations could change, to compare before and after refused calls. */
  async function snapshot() {
    const db = database.db;
    return {
      tickets: await db.ticket.count(),
      specs: await db.spec.findMany({ select: { id: true, state: true }, orderBy: { id: "asc" } }),
      tasks: await db.task.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
      approvals: await db.approval.count(),
      deliveries: await db.callbackDelivery.findMany({
        select: { id: true, status: true, attempts: true },
        orderBy: { id: "asc" },
      }),
    };
  }
});
