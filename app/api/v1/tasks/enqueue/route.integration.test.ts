import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callApi, mintApiKey } from "@/lib/api/v1/testing/api-client";
import { setCallbackResolver } from "@/lib/callbacks/safe-url";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { createIntakeRule } from "@/lib/intake/create-intake-rule";
import type { IntakeStartRequest } from "@/lib/intake/intake-event";
import { startIntakeSpec } from "@/lib/intake/start-intake-spec";
import { setJobEngine } from "@/lib/jobs/get-job-engine";
import type { SpecPhaseRequest } from "@/lib/specs/phase-event";
import { runSpecPhase } from "@/lib/specs/run-spec-phase";
import { memoSteps, offlineProvider, recordingEngine } from "@/lib/specs/testing/pipeline-fixtures";
import { createProjectWithTicket, createUserWithOrg } from "@/prisma/factories";

const enqueue = (key: string, body: unknown) => callApi("POST", "/tasks/enqueue", { key, body });

describe("POST /api/v1/tasks/enqueue", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  let project: Awaited<ReturnType<typeof createProjectWithTicket>>["project"];
  let key: string;
  let engine: ReturnType<typeof recordingEngine>;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  const valid = (overrides: Record<string, unknown> = {}) => ({
    type: "bugfix",
    payload: {
      title: "Fix the login loop",
      description: "Users bounce.",
      build_url: "https://ci/1",
    },
    priority: "high",
    source: "ci:test",
    target: { repository: "web", ref: "main", path: "src/auth/login.ts" },
    tags: ["ci"],
    metadata: { build: 4711 },
    ...overrides,
  });

  /** Everything an intake request could write. */
  const counts = async () => ({
    tickets: await database.db.ticket.count(),
    specs: await database.db.spec.count(),
    callbacks: await database.db.callbackDelivery.count(),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
    ({ project } = await createProjectWithTicket(database.db, owner.actor));
    key = (await mintApiKey(database.db, owner.actor, "WRITE")).key;
  });
  beforeEach(() => {
    engine = recordingEngine();
    setJobEngine(engine);
    setCallbackResolver(async (host) =>
      host === "hooks.example.com" ? [{ address: "93.184.216.34", family: 4 }] : [],
    );
  });
  afterAll(async () => {
    setJobEngine(undefined);
    setCallbackResolver(undefined);
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("files a ticket in the project target.repository names, keeping the request, and asks for its pipeline", async () => {
    const response = await enqueue(key, valid());
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      ticket_id: string;
      status: string;
      created_at: string;
    };
    expect(body).toEqual({
      ticket_id: expect.stringMatching(/^tkt_/),
      status: "open",
      created_at: expect.any(String),
    });
    const ticket = await database.db.ticket.findUniqueOrThrow({ where: { id: body.ticket_id } });
    expect(ticket).toMatchObject({
      projectId: project.id,
      title: "Fix the login loop",
      type: "BUGFIX",
      priority: "HIGH",
      source: "API",
      labels: ["ci"],
      intake: {
        source: "ci:test",
        target: { repository: "web", ref: "main", path: "src/auth/login.ts" },
        metadata: { build: 4711 },
        payload: { build_url: "https://ci/1" },
      },
    });
    expect(engine.sent).toEqual([
      expect.objectContaining({
        name: "intake/ticket.enqueued",
        id: `intake-start:${body.ticket_id}`,
      }),
    ]);
  });

  it("finds the project by GitHub repository and local path too, and names target.repository when none matches", async () => {
    await database.db.project.update({
      where: { id: project.id },
      data: { githubRepoFullName: "acme/web" },
    });
    for (const repository of ["ACME/web", project.localPath ?? "", project.id]) {
      const response = await enqueue(key, valid({ target: { repository } }));
      expect({ repository, status: response.status }).toEqual({ repository, status: 201 });
    }
    const before = await counts();
    const response = await enqueue(key, valid({ target: { repository: "acme/nope" } }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: {
        code: "UNPROCESSABLE",
        details: { fields: { "target.repository": expect.any(String) } },
      },
    });
    expect(await counts()).toEqual(before);
  });

  it("makes one ticket from ten concurrent requests with one idempotency key", async () => {
    const before = await counts();
    const body = valid({ idempotency_key: "build-4711" });
    const responses = await Promise.all(Array.from({ length: 10 }, () => enqueue(key, body)));
    const answers = await Promise.all(
      responses.map(async (r) => ({
        status: r.status,
        replayed: r.headers.get("idempotent-replayed"),
        body: (await r.json()) as { ticket_id: string },
      })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(answers.filter((a) => a.replayed === "true")).toHaveLength(9);
    const ticketIds = new Set(answers.map((a) => a.body.ticket_id));
    expect(ticketIds.size).toBe(1);
    expect(await counts()).toEqual({ ...before, tickets: before.tickets + 1 });
    expect(await database.db.ticket.count({ where: { idempotencyKey: "build-4711" } })).toBe(1);
    // Every answer asked for the same pipeline run; the engines start it once.
    expect(new Set(engine.sent.map((e) => e.id))).toEqual(
      new Set([`intake-start:${[...ticketIds][0]}`]),
    );

    // Later, the same key with the same request is the same ticket; with another request, 409.
    const again = await enqueue(key, body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { ticket_id: string }).ticket_id).toBe([...ticketIds][0]);
    const changed = await enqueue(key, valid({ idempotency_key: "build-4711", priority: "low" }));
    expect(changed.status).toBe(409);
    expect(await changed.json()).toMatchObject({
      error: { code: "CONFLICT", details: { fields: { idempotency_key: expect.any(String) } } },
    });
  });

  it("refuses a request a deny rule matches with 400 naming the rule, and writes nothing", async () => {
    await createIntakeRule(database.db, {
      actor: owner.actor,
      input: { name: "Hands off secrets", effect: "DENY", field: "PATH", pattern: "secrets/**" },
    });
    const before = await counts();
    const response = await enqueue(
      key,
      valid({ target: { repository: "web", path: "secrets/prod.env" } }),
    );
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { code: string; message: string; details: unknown };
    };
    expect(error.code).toBe("INVALID");
    expect(error.message).toContain('Refused by intake rule "Hands off secrets"');
    expect(error.details).toMatchObject({
      rule: { name: "Hands off secrets", id: expect.stringMatching(/^irl_/) },
      fields: { "target.path": 'Refused by intake rule "Hands off secrets"' },
    });
    expect(await counts()).toEqual(before);
    // Work elsewhere in the repository still gets in.
    expect(
      (await enqueue(key, valid({ target: { repository: "web", path: "docs/a.md" } }))).status,
    ).toBe(201);
  });

  it("answers malformed bodies with 400/413/422 naming the field, and writes nothing", async () => {
    const before = await counts();
    const cases: { name: string; body?: unknown; raw?: string; status: number; field?: string }[] =
      [
        { name: "wrong type", body: valid({ priority: 3 }), status: 400, field: "priority" },
        {
          name: "unknown priority",
          body: valid({ priority: "urgent" }),
          status: 400,
          field: "priority",
        },
        { name: "unknown type", body: valid({ type: "hotfix" }), status: 400, field: "type" },
        {
          name: "title not a string",
          body: valid({ payload: { title: 42 } }),
          status: 400,
          field: "payload.title",
        },
        { name: "no target", body: valid({ target: undefined }), status: 400, field: "target" },
        {
          name: "timeout as text",
          body: valid({ options: { timeout: "soon" } }),
          status: 400,
          field: "options.timeout",
        },
        {
          name: "bad URL",
          body: valid({ callback_url: "not a url" }),
          status: 400,
          field: "callback_url",
        },
        {
          name: "ftp URL",
          body: valid({ callback_url: "ftp://hooks.example.com/x" }),
          status: 400,
          field: "callback_url",
        },
        {
          name: "private URL",
          body: valid({ callback_url: "http://10.0.0.7/hook" }),
          status: 422,
          field: "callback_url",
        },
        {
          name: "path escaping the repository",
          body: valid({ target: { repository: "web", path: "../etc" } }),
          status: 400,
          field: "target.path",
        },
        { name: "misspelt field", body: { ...valid(), idempotencyKey: "x" }, status: 400 },
        { name: "not JSON", raw: "{type: bugfix", status: 400, field: "_body" },
        {
          name: "oversized payload",
          body: valid({ payload: { title: "Big", blob: "x".repeat(300 * 1024) } }),
          status: 413,
        },
      ];
    for (const c of cases) {
      const response = await callApi("POST", "/tasks/enqueue", {
        key,
        body: c.body,
        rawBody: c.raw,
      });
      const { error } = (await response.json()) as {
        error: { code: string; message: string; details?: { fields?: Record<string, string> } };
      };
      expect({ name: c.name, status: response.status }).toEqual({ name: c.name, status: c.status });
      if (c.field) {
        expect({ name: c.name, fields: Object.keys(error.details?.fields ?? {}) }).toEqual({
          name: c.name,
          fields: [c.field],
        });
      } else {
        expect(error.message.length).toBeGreaterThan(0);
      }
    }
    const misspelt = await enqueue(key, { ...valid(), idempotencyKey: "x" });
    expect(((await misspelt.json()) as { error: { message: string } }).error.message).toContain(
      "idempotencyKey",
    );
    const oversized = await callApi("POST", "/tasks/enqueue", {
      key,
      rawBody: JSON.stringify(valid({ payload: { title: "Big", blob: "x".repeat(300 * 1024) } })),
      headers: { "content-length": String(400 * 1024) },
    });
    expect(oversized.status).toBe(413);
    expect(await counts()).toEqual(before);
    expect(engine.sent).toEqual([]);
  });

  it("runs the pipeline with the request's options: auto-approval, task timeout and retries", async () => {
    const response = await enqueue(
      key,
      valid({ options: { approval_mode: "auto", timeout: 600, retries: 1 } }),
    );
    const { ticket_id } = (await response.json()) as { ticket_id: string };
    const sent = engine.sent[0]?.data as IntakeStartRequest;
    const started = await startIntakeSpec(database.db, sent);
    // A repeated run (a retry, a duplicate send) opens no second spec.
    await startIntakeSpec(database.db, sent);
    expect(await database.db.spec.count({ where: { ticketId: ticket_id } })).toBe(1);

    // The phases run offline; with approval_mode auto each one is approved as it finishes.
    let request: SpecPhaseRequest | null = {
      orgId: owner.org.id,
      specId: "specId" in started ? (started.specId ?? "") : "",
      phase: "REQUIREMENTS",
      version: 1,
    };
    while (request) {
      const result = await runSpecPhase(database.db, {
        request,
        step: memoSteps(),
        provider: offlineProvider(),
      });
      request = "next" in result ? (result.next ?? null) : null;
    }
    const spec = await database.db.spec.findFirstOrThrow({
      where: { ticketId: ticket_id },
      include: { tasks: true },
    });
    expect(spec.state).toBe("EXECUTING");
    expect(spec.tasks.length).toBeGreaterThan(0);
    for (const task of spec.tasks)
      expect(task).toMatchObject({ timeoutSeconds: 600, maxAttempts: 2 });
    const approvals = await database.db.approval.findMany({ where: { specId: spec.id } });
    expect(approvals.map((a) => [a.phase, a.actorId])).toEqual([
      ["REQUIREMENTS", null],
      ["DESIGN", null],
      ["TASKS", null],
    ]);
  });
});
