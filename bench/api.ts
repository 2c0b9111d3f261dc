// npm run bench:api [-- --rate 200 --seconds 30 --tickets 200]
// npm run bench:api -- --url http://localhost:3000 --key trl_…   (an instance you run yourself)
// Latency of the REST API under a steady open-loop load: GET /api/v1/tickets (API key, a page of
// 25 from --tickets tickets) and GET /api/healthz (nothing but the process answering), each at
// --rate requests/s for --seconds, one after the other against the same `next start` server in the
// same run, with p50/p99 and the ratio tickets/healthz. Without --url it builds the app if stale,
// starts a throw-away embedded Postgres, seeds it and starts `next start` on a free port, with the
// per-key rate limit lifted so that the bench measures the API rather than its 429s.
// Latency counts from each request's scheduled send time (no coordinated omission).
// Prints figures; never asserts, always exits 0.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "30" },
    tickets: { type: "string", default: "200" },
    url: { type: "string" },
    key: { type: "string" },
  },
});
const rate = Math.max(1, Number(values.rate) || 200);
const seconds = Math.max(1, Number(values.seconds) || 30);
const ticketCount = Math.max(1, Number(values.tickets) || 200);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

interface Sample {
  latencyMs: number;
  status: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent, headers, timeout: 30_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(0));
  });
}

/** `rate` requests per second for `durationS`, each sent at its scheduled time whatever the others do. */
async function openLoop(
  url: string,
  headers: Record<string, string>,
  perSecond: number,
  durationS: number,
): Promise<Sample[]> {
  const total = Math.round(perSecond * durationS);
  const intervalMs = 1000 / perSecond;
  const start = performance.now() + 50;
  const inflight: Promise<Sample>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      get(url, headers).then((status) => ({ latencyMs: performance.now() - scheduled, status })),
    );
  }
  return Promise.all(inflight);
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

function summarize(name: string, samples: Sample[]) {
  const ok = samples.filter((s) => s.status === 200);
  const latencies = ok.map((s) => s.latencyMs);
  const other = samples.length - ok.length;
  const statuses = [...new Set(samples.filter((s) => s.status !== 200).map((s) => s.status))].join(
    ",",
  );
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(
    `${name.padEnd(24)} p50_ms ${p50.toFixed(1).padStart(7)}  p99_ms ${p99.toFixed(1).padStart(7)}  max_ms ${Math.max(
      ...latencies,
    )
      .toFixed(1)
      .padStart(
        7,
      )}  ok ${ok.length}/${samples.length}${other ? `  non_200 ${other} (${statuses})` : ""}`,
  );
  return { p50, p99 };
}

async function waitHealthy(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await get(`${base}/api/healthz`, {})) === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} did not become healthy in ${timeoutMs / 1000} s`);
}

/** A throw-away database seeded with an organization, a project, tickets and an API key. */
async function seed(databaseUrl: string): Promise<string> {
  const { createDb } = await import("@/lib/db/client");
  const { createUserWithOrg, createProjectWithTicket } = await import("@/prisma/factories");
  const { createTicket } = await import("@/lib/tickets/create-ticket");
  const { createApiKey } = await import("@/lib/api-keys/create-api-key");
  const db = createDb(databaseUrl);
  try {
    const { actor } = await createUserWithOrg(db, "Bench");
    const { project } = await createProjectWithTicket(db, actor);
    for (let i = 1; i < ticketCount; i++) {
      await createTicket(db, { actor, input: { projectId: project.id, title: `Ticket ${i}` } });
    }
    const { key } = await createApiKey(db, { actor, input: { name: "bench", scope: "READ" } });
    return key;
  } finally {
    await db.$disconnect();
  }
}

async function main(): Promise<void> {
  let base = values.url?.replace(/\/$/, "");
  let key = values.key;
  let web: ChildProcess | undefined;
  let stopPostgres: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  try {
    if (!base) {
      const { needsBuild } = await import("@/scripts/start");
      const stale = await needsBuild();
      if (stale) {
        console.log(`building the app (${stale}) …`);
        const build = spawn(process.execPath, [NEXT_BIN, "build"], {
          cwd: ROOT,
          env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
          stdio: ["ignore", "ignore", "inherit"],
        });
        const code = await new Promise<number | null>((r) => build.once("exit", r));
        if (code !== 0) throw new Error(`next build failed (${code})`);
      }
      const { findFreePort, startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
      const { migrate } = await import("@/lib/db/migrate");
      dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-bench-api-"));
      const quiet = { debug() {}, info() {}, warn: console.warn, error: console.error };
      const postgres = await startEmbeddedPostgres({ dataDir, durable: false, log: quiet });
      stopPostgres = () => postgres.stop();
      await migrate({
        url: postgres.url,
        migrationsDir: path.join(ROOT, "prisma/migrations"),
        log: quiet,
      });
      key = await seed(postgres.url);
      const port = await findFreePort();
      base = `http://localhost:${port}`;
      web = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port)], {
        cwd: ROOT,
        env: {
          ...process.env,
          NEXT_TELEMETRY_DISABLED: "1",
          NODE_ENV: "production",
          TRELLIS_ROLE: "web",
          LOG_LEVEL: "warn",
          DATABASE_URL: postgres.url,
          AUTH_SECRET: randomBytes(32).toString("base64url"),
          AUTH_TRUST_HOST: "true",
          API_RATE_LIMIT_PER_MINUTE: "1000000",
        },
        detached: true,
        stdio: ["ignore", "ignore", "inherit"],
      });
      await waitHealthy(base, 120_000);
    }
    if (!key) throw new Error("--key is required with --url");

    const auth = { authorization: `Bearer ${key}` };
    const tickets = `${base}/api/v1/tickets?limit=25`;
    const healthz = `${base}/api/healthz`;
    const first = await get(tickets, auth);
    if (first !== 200) throw new Error(`GET /api/v1/tickets answered ${first}`);
    // Warm-up: compiled routes, JIT, the database pool.
    await openLoop(healthz, {}, 50, 2);
    await openLoop(tickets, auth, 50, 2);

    console.log(
      `bench/api: ${rate} req/s for ${seconds} s per endpoint, one after the other, ${base} (${os.cpus().length} cores${values.url ? "" : `, ${ticketCount} tickets, page of 25`})`,
    );
    const health = summarize("GET /api/healthz", await openLoop(healthz, {}, rate, seconds));
    const api = summarize("GET /api/v1/tickets", await openLoop(tickets, auth, rate, seconds));
    console.log(
      `ratio tickets/healthz    p50 ${(api.p50 / health.p50).toFixed(2)}  p99 ${(api.p99 / health.p99).toFixed(2)}`,
    );
  } finally {
    agent.destroy();
    if (web?.pid) {
      try {
        process.kill(-web.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => web?.once("exit", r));
    }
    await stopPostgres?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .catch((error: unknown) => {
    console.log(`bench/api failed: ${error instanceof Error ? error.message : String(error)}`);
  })
  .finally(() => process.exit(0));
