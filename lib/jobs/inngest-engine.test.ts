// The Inngest engine: JobFunctions run in-process through @inngest/test's engine (which drives
// the SDK's real execution loop), and the sender talks to a local HTTP server that answers like
// Inngest's event API. (Unmocked step.sleep/waitForEvent would hang here; the port has neither.)
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONCURRENCY_KEYS_FIELD,
  concurrencyKeyExpression,
  createInngestClient,
  createInngestSender,
  toInngestFunction,
} from "@/lib/jobs/inngest-engine";
import { defineJobFunction, type JobEvent, PermanentJobError } from "@/lib/jobs/port";

interface SpecData {
  orgId: string;
  specId: string;
}

// Step errors are expected in these tests; keep them out of the output.
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const client = createInngestClient({ dev: "1", logger: silent });

function pipeline(record: string[]) {
  return defineJobFunction<SpecData>(
    {
      id: "spec-pipeline",
      event: "spec/approved",
      retries: 2,
      concurrency: { key: (data) => data.orgId, limit: 1 },
    },
    async ({ event, step }) => {
      const seen = await step.run("seen", async () => {
        record.push("seen");
        return { data: event.data, id: event.id ?? null };
      });
      const plan = await step.run("plan", async () => {
        record.push("plan");
        return { tasks: [`${event.data.specId}-t1`, `${event.data.specId}-t2`] };
      });
      const count = await step.run("count", async () => {
        record.push("count");
        return plan.tasks.length;
      });
      return { seen, plan, count };
    },
  );
}

describe("Inngest engine", () => {
  it("runs a JobFunction's steps and returns its result", async () => {
    const record: string[] = [];
    const engine = new InngestTestEngine({ function: toInngestFunction(client, pipeline(record)) });
    const data = { orgId: "org_1", specId: "spc_1", [CONCURRENCY_KEYS_FIELD]: { x: "org_1" } };

    const { result, error } = await engine.execute({
      events: [{ name: "spec/approved", id: "evt-1", data }],
    });

    expect(error).toBeUndefined();
    expect(result).toEqual({
      // The handler never sees the sender's concurrency keys.
      seen: { data: { orgId: "org_1", specId: "spc_1" }, id: "evt-1" },
      plan: { tasks: ["spc_1-t1", "spc_1-t2"] },
      count: 2,
    });
    expect(record).toEqual(["seen", "plan", "count"]);
  });

  it("answers a memoised step from its stored result without running it", async () => {
    const record: string[] = [];
    const engine = new InngestTestEngine({ function: toInngestFunction(client, pipeline(record)) });

    const { result } = await engine.execute({
      events: [{ name: "spec/approved", data: { orgId: "org_1", specId: "spc_2" } }],
      steps: [{ id: "plan", handler: () => ({ tasks: ["stored"] }) }],
    });

    expect(result).toMatchObject({ plan: { tasks: ["stored"] }, count: 1 });
    expect(record).not.toContain("plan");
  });

  it("turns a PermanentJobError into Inngest's NonRetriableError", async () => {
    const fn = defineJobFunction<SpecData>(
      { id: "always-invalid", event: "spec/invalid" },
      async ({ step }) =>
        step.run("validate", async () => {
          throw new PermanentJobError("spec has no requirements");
        }),
    );
    const engine = new InngestTestEngine({ function: toInngestFunction(client, fn) });

    const { error } = await engine.execute({
      events: [{ name: "spec/invalid", data: { orgId: "org_1", specId: "spc_3" } }],
    });

    expect(error).toMatchObject({ name: "NonRetriableError", message: "spec has no requirements" });
  });

  it("configures id, trigger, retries and a per-key concurrency limit", () => {
    const fn = toInngestFunction(client, pipeline([]));
    // getConfig is what `serve` sends Inngest when the app syncs.
    // biome-ignore lint/complexity/useLiteralKeys: private in the SDK's types; brackets reach it
    const [config] = fn["getConfig"]({
      baseUrl: new URL("http://localhost/api/inngest"),
      appPrefix: "trellis",
    });

    expect(config).toMatchObject({
      triggers: [{ event: "spec/approved" }],
      steps: { step: { retries: { attempts: 2 } } },
      concurrency: [{ key: concurrencyKeyExpression("spec-pipeline"), limit: 1 }],
    });
    expect(concurrencyKeyExpression("spec-pipeline")).toBe(
      `event.data.${CONCURRENCY_KEYS_FIELD}["spec-pipeline"]`,
    );
  });
});

describe("Inngest sender", () => {
  let server: Server;
  let received: unknown[] = [];
  let baseUrl: string;

  beforeAll(async () => {
    // Inngest's event API: POST /e/<event key> with an array of events, answers their ids.
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", () => {
        const events = JSON.parse(body) as unknown[];
        received.push({ url: req.url, events });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ids: events.map((_, i) => `01J-event-${i}`), status: 200 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("sends the event with its id and each subscribed function's concurrency key", async () => {
    received = [];
    const sendingClient = createInngestClient({ eventKey: "test-key", baseUrl, logger: silent });
    const sender = createInngestSender({ client: sendingClient, functions: [pipeline([])] });
    const event: JobEvent<SpecData> = {
      name: "spec/approved",
      data: { orgId: "org_9", specId: "spc_9" },
      id: "spec-approved:spc_9:1",
    };

    const { runId } = await sender.send(event);

    expect(sender.name).toBe("inngest");
    expect(runId).toBe("01J-event-0");
    expect(received).toEqual([
      {
        url: "/e/test-key",
        events: [
          expect.objectContaining({
            name: "spec/approved",
            id: "spec-approved:spc_9:1",
            data: {
              orgId: "org_9",
              specId: "spc_9",
              [CONCURRENCY_KEYS_FIELD]: { "spec-pipeline": "org_9" },
            },
          }),
        ],
      },
    ]);
  });
});
