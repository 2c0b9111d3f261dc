// What the benches that measure the app in a browser share (bench/dashboard.ts): a throw-away
// embedded Postgres, migrated; the production build served by the launcher (`npm start`'s
// scripts/start.ts: web + worker, built first when sources changed, then its warm-up) on a
// free port; headless Chromium (Debian's when present) signed in through the real form; and
// the statistics.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { findFreePort, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import type { Log } from "@/lib/logger";
import { httpStatus, needsBuild } from "@/scripts/start";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const quiet: Log = { debug() {}, info() {}, warn: console.warn, error: console.error };

/** A migrated embedded Postgres in a scratch directory; `stop` removes both. */
export async function startScratchDatabase(prefix: string) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `trellis-bench-${prefix}-`));
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(scratch, "postgres"),
    durable: false,
    log: quiet,
  });
  try {
    await migrate({
      url: postgres.url,
      migrationsDir: path.join(ROOT, "prisma", "migrations"),
      log: quiet,
    });
  } catch (error) {
    await postgres.stop();
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return {
    url: postgres.url,
    scratch,
    async stop() {
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The app as `npm start` runs it (web + worker) on `databaseUrl` and a free port, in its own
 * process group so that `stop` ends all of it, once healthy and warmed up. A stale build is
 * rebuilt first (not measured).
 */
export async function startApp(options: { databaseUrl: string; dataDir: string }) {
  const stale = await needsBuild(ROOT);
  if (stale) console.log(`preparing (not measured): ${stale}; the launcher builds first`);
  const port = await findFreePort();
  const launcher: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      PORT: String(port),
      LOG_LEVEL: "warn",
      CI: "true", // no TTY: plain output
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  let warmedUp = false;
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes("▸ warm-up")) warmedUp = true;
    output.push(text);
    if (output.length > 100) output.shift();
  };
  launcher.stdout?.on("data", keep);
  launcher.stderr?.on("data", keep);
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    launcher.once("exit", () => {
      gone = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (gone || !launcher.pid) return;
    try {
      process.kill(-launcher.pid, "SIGTERM"); // the launcher stops web and worker
    } catch {}
    await Promise.race([exited, sleep(20_000)]);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  try {
    while ((await httpStatus(`${baseUrl}/api/health`, 2_000).catch(() => 0)) !== 200) {
      if (gone) throw new Error(`the app exited before it was healthy:\n${output.join("")}`);
      // Generous: a stale build is rebuilt first.
      if (performance.now() - started > 900_000) throw new Error("not healthy in 15 min");
      await sleep(200);
    }
    // Measure what a person meets after a start: once the launcher's warm-up (a request per
    // main page, in the background) is done.
    const healthy = performance.now();
    while (!warmedUp) {
      if (gone) throw new Error(`the app exited during its warm-up:\n${output.join("")}`);
      if (performance.now() - healthy > 60_000) throw new Error("no warm-up in 1 min");
      await sleep(100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

/** Headless Chromium: Debian's when installed, else Playwright's. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: existsSync(CHROMIUM) ? CHROMIUM : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/** Signs in through the real form; the session stays in the page's browser context. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/projects$/, { timeout: 60_000 });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const median = (xs: readonly number[]) => percentile(xs, 50);

/** Nearest-rank percentile; NaN for no samples. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

export const fmtMs = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)} ms` : "—");

/** The machine's load, to print beside figures: benches mean little on a busy machine. */
export function machineLoad(): string {
  const [one, five] = os.loadavg();
  return `load average ${one?.toFixed(2)} (1 min) ${five?.toFixed(2)} (5 min) on ${os.cpus().length} CPUs`;
}
