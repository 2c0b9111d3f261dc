// npm run bench:realtime [-- --events 200 --interval-ms 25]
// Realtime latency, from a database commit to the browser's handler, through the real app:
// the production build under `scripts/start.ts` (web + worker, built first if stale) against
// a throw-away embedded Postgres, one signed-in headless Chromium on an org page. Each of N
// activity events is inserted (an autocommit INSERT: its own transaction) and timed from just
// before the INSERT is sent until the page's realtime provider hands it to its listeners
// (the `trellis:realtime` window event), over the default transport: Postgres LISTEN/NOTIFY
// -> the web process's hub -> server-sent events -> EventSource. Same machine, same clock.
// Prints p50, p95, p99, max and the ratio to the target; never asserts, always exits 0.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "200" },
    "interval-ms": { type: "string", default: "25" },
  },
});
const eventCount = Math.max(1, Number(values.events) || 200);
const intervalMs = Math.max(0, Number(values["interval-ms"]) || 0);
const P95_TARGET_MS = 250;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";

process.env.LOG_LEVEL ??= "warn";
const { startEmbeddedPostgres, findFreePort } = await import("@/lib/db/embedded-postgres");
const { migrate } = await import("@/lib/db/migrate");
const { httpStatus, needsBuild } = await import("@/scripts/start");

const scratch = mkdtempSync(path.join(os.tmpdir(), "trellis-bench-realtime-"));
const postgres = await startEmbeddedPostgres({
  dataDir: path.join(scratch, "postgres"),
  durable: false,
  log: { debug() {}, info() {}, warn: console.warn, error: console.error },
});
let launcher: ChildProcess | undefined;
let exited: Promise<void> = Promise.resolve();

try {
  await migrate({
    url: postgres.url,
    migrationsDir: path.join(ROOT, "prisma/migrations"),
    log: { debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  process.env.DATABASE_URL = postgres.url;
  (await import("@/lib/env")).resetEnvForTests();
  const { createDb } = await import("@/lib/db/client");
  const { createUserWithOrg } = await import("@/prisma/factories");
  const db = createDb(postgres.url);

  const stale = await needsBuild(ROOT);
  if (stale) console.log(`preparing (not measured): ${stale}; the launcher builds first`);
  const port = await findFreePort();
  launcher = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: postgres.url,
      DATA_DIR: path.join(scratch, "data"),
      PORT: String(port),
      CI: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, stopped as a whole below
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 100) output.shift();
  };
  launcher.stdout?.on("data", keep);
  launcher.stderr?.on("data", keep);
  let gone = false;
  exited = new Promise((resolve) =>
    launcher?.once("exit", () => {
      gone = true;
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  while ((await httpStatus(`${base}/api/health`, 2_000)) !== 200) {
    if (gone) throw new Error(`the app exited before it was healthy:\n${output.join("")}`);
    if (performance.now() - started > 600_000) throw new Error("the app was not healthy in 10 min");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const { org, email, password } = await createUserWithOrg(db, "Bench");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel(/^Email/).fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/projects$/);
    await page
      .getByRole("button", { name: "Live updates: live" })
      .waitFor({ state: "visible", timeout: 30_000 });

    await page.evaluate(() => {
      const received: { type: string; at: number }[] = [];
      (window as unknown as { benchReceived: typeof received }).benchReceived = received;
      window.addEventListener("trellis:realtime", (e) => {
        const detail = (e as CustomEvent<{ type: string }>).detail;
        if (detail.type.startsWith("bench.")) received.push({ type: detail.type, at: Date.now() });
      });
    });

    // A few unmeasured events first: the first ones pay for JIT and connection warm-up.
    const warmup = 10;
    const sentAt = new Map<string, number>();
    for (let n = 0; n < warmup + eventCount; n++) {
      const type = n < warmup ? `bench.warmup_${n}` : `bench.n${n - warmup}`;
      sentAt.set(type, Date.now());
      await db.activityEvent.create({ data: { orgId: org.id, type, actorKind: "SYSTEM" } });
      if (intervalMs) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    await page.waitForFunction(
      (n) => (window as unknown as { benchReceived: unknown[] }).benchReceived.length >= n,
      warmup + eventCount,
      { timeout: 60_000 },
    );
    const received = await page.evaluate(
      () => (window as unknown as { benchReceived: { type: string; at: number }[] }).benchReceived,
    );
    const latencies = received
      .filter((r) => r.type.startsWith("bench.n"))
      .map((r) => r.at - (sentAt.get(r.type) ?? Number.NaN))
      .sort((a, b) => a - b);
    const inOrder = received.every((r, i) => r.type === [...sentAt.keys()][i]);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ??
      Number.NaN;
    console.log(
      `bench/realtime: ${latencies.length} events, one every ${intervalMs} ms, SSE over LISTEN/NOTIFY, headless Chromium`,
    );
    console.log(
      `delivered_in_commit_order ${inOrder}  duplicates ${received.length - new Set(received.map((r) => r.type)).size}`,
    );
    console.log(
      `commit_to_handler_ms p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${latencies.at(-1)}`,
    );
    console.log(
      `p95 ${pct(95)} ms (target < ${P95_TARGET_MS}, ratio ${(pct(95) / P95_TARGET_MS).toFixed(2)})`,
    );
  } finally {
    await browser.close();
    await db.$disconnect();
  }
} catch (error) {
  console.log(`bench/realtime failed: ${error instanceof Error ? error.message : error}`);
} finally {
  if (launcher?.pid) {
    try {
      process.kill(-launcher.pid, "SIGTERM");
    } catch {}
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  }
  await postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
}
