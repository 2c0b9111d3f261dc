// npm run bench:dashboard-board [-- --tasks 1000 --runs 5]
// The board section of bench/dashboard (the graph section is bench/dashboard-graph.ts):
// time until the Kanban board with N tasks is interactive, in headless Chromium.
//   1. A throw-away embedded Postgres (or DATABASE_URL), migrated; a user whose organization
//      has N tasks over N/100 specs in every status and phase (lib/tasks/testing/board-fixtures).
//   2. The built app (`next build` first when sources changed) served by `next start`.
//   3. Chromium (playwright-core, /usr/bin/chromium when present) signs in through the form,
//      then loads /<org>/board R times (after one warm-up load). "Interactive" is the
//      "board-interactive" performance mark, set in the board's first effect: React has
//      hydrated every card and dnd-kit listens from then on. Time is from navigation start.
// Prints figures and the ratio to the target; never asserts, always exits 0.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Browser, Page } from "playwright-core";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
export const BOARD_TARGET_MS = 1_500;

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (n: number) => `${Math.round(n)} ms`;

/** Signs in through the real form; the session cookie stays in the page's context. */
export async function signInForBench(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/projects$/, { timeout: 60_000 });
}

export interface BoardSample {
  interactiveMs: number;
  domContentLoadedMs: number;
  cards: number;
  htmlKb: number;
}

/** One load of the board: until the board's "board-interactive" mark, from navigation start. */
export async function measureBoardOnce(page: Page, url: string): Promise<BoardSample> {
  const response = await page.goto(url, { waitUntil: "commit" });
  const html = (await response?.body())?.length ?? 0;
  await page.waitForSelector("[data-board-ready]", { state: "attached", timeout: 60_000 });
  const timing = await page.evaluate(() => {
    const mark = performance.getEntriesByName("board-interactive")[0];
    const nav = performance.getEntriesByType("navigation")[0] as
      | PerformanceNavigationTiming
      | undefined;
    return {
      interactive: mark?.startTime ?? Number.NaN,
      dcl: nav?.domContentLoadedEventEnd ?? Number.NaN,
      cards: document.querySelectorAll("[data-task-card]").length,
    };
  });
  return {
    interactiveMs: timing.interactive,
    domContentLoadedMs: timing.dcl,
    cards: timing.cards,
    htmlKb: html / 1024,
  };
}

/** The board section: a warm-up load, then `runs` measured loads; prints and returns the samples. */
export async function benchBoard(options: {
  page: Page;
  baseUrl: string;
  orgSlug: string;
  tasks: number;
  runs: number;
}): Promise<BoardSample[]> {
  const url = `${options.baseUrl}/${options.orgSlug}/board`;
  await measureBoardOnce(options.page, url); // warm-up: server caches, first query plans
  const samples: BoardSample[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const sample = await measureBoardOnce(options.page, url);
    samples.push(sample);
    console.log(
      `board run ${i}/${options.runs}: interactive ${ms(sample.interactiveMs)}  ` +
        `domcontentloaded ${ms(sample.domContentLoadedMs)}  cards ${sample.cards}  html ${sample.htmlKb.toFixed(0)} KB`,
    );
  }
  const interactive = median(samples.map((s) => s.interactiveMs));
  console.log(
    `board_interactive_ms (${options.tasks} tasks, median of ${options.runs}): ${Math.round(interactive)}  ` +
      `min ${Math.round(Math.min(...samples.map((s) => s.interactiveMs)))}  ` +
      `max ${Math.round(Math.max(...samples.map((s) => s.interactiveMs)))}  ` +
      `target < ${BOARD_TARGET_MS}  ratio ${(interactive / BOARD_TARGET_MS).toFixed(2)} ` +
      `(${interactive < BOARD_TARGET_MS ? "within target" : "OVER TARGET"})`,
  );
  return samples;
}

async function waitHealthy(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the app did not become healthy");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
    child.on("exit", (code) => resolve(code));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tasks: { type: "string", default: "1000" }, runs: { type: "string", default: "5" } },
  });
  const tasks = Math.max(1, Number(values.tasks) || 1000);
  const runs = Math.max(1, Number(values.runs) || 5);

  const { env } = await import("@/lib/env");
  const { startEmbeddedPostgres, findFreePort } = await import("@/lib/db/embedded-postgres");
  const { migrate } = await import("@/lib/db/migrate");
  const { createDb } = await import("@/lib/db/client");
  const { createUserWithOrg } = await import("@/prisma/factories");
  const { seedBoard } = await import("@/lib/tasks/testing/board-fixtures");
  const { needsBuild } = await import("@/scripts/start");
  const { chromium } = await import("playwright-core");

  const scratch = mkdtempSync(path.join(os.tmpdir(), "trellis-bench-board-"));
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const configured = env().DATABASE_URL;
    let url = configured;
    if (!url) {
      postgres = await startEmbeddedPostgres({
        dataDir: path.join(scratch, "postgres"),
        durable: false,
      });
      url = postgres.url;
    }
    await migrate({ url, migrationsDir: path.join(ROOT, "prisma", "migrations") });
    const db = createDb(url);
    const seedStarted = performance.now();
    const owner = await createUserWithOrg(db, "Bench");
    await seedBoard(db, { orgId: owner.org.id, count: tasks });
    await db.$disconnect();
    console.log(
      `bench/dashboard-board: ${tasks} tasks seeded in ${ms(performance.now() - seedStarted)} ` +
        `(${configured ? "DATABASE_URL" : "embedded Postgres"})`,
    );

    const reason = await needsBuild();
    if (reason) {
      console.log(`building the app (${reason})…`);
      const code = await run(process.execPath, [NEXT_BIN, "build"], { ...process.env });
      if (code !== 0) throw new Error(`next build failed (${code})`);
    }
    const port = await findFreePort();
    const baseUrl = `http://localhost:${port}`;
    server = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port)], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: url,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        AUTH_TRUST_HOST: "true",
        DATA_DIR: scratch,
        PORT: String(port),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitHealthy(baseUrl, server, 60_000);

    browser = await chromium.launch({
      executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInForBench(page, baseUrl, owner.email, owner.password);
    await benchBoard({ page, baseUrl, orgSlug: owner.org.slug, tasks, runs });
  } catch (error) {
    console.log(
      `bench/dashboard-board failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server?.once("exit", r));
    }
    await postgres?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
