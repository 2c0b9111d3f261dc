// npm start      — runs the whole product on this machine: build if sources changed, the
//                  embedded Postgres (unless DATABASE_URL is set), migrations, then the web
//                  server and one worker. Ctrl-C stops everything it started.
// npm run dev    — the same with `next dev` and no build.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import { realpathSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { RunningPostgres } from "@/lib/db/embedded-postgres";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import type { Log } from "@/lib/logger";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");

// What `next build` compiles. lib/generated is left out because `npm install` regenerates it
// every time (schema.prisma stands in for it); keep this list in step with the app's imports.
const BUILD_INPUT_DIRS = ["app", "components", "lib", "inngest"];
const BUILD_INPUT_FILES = [
  "next.config.ts",
  "package.json",
  "tsconfig.json",
  "postcss.config.mjs",
  "tailwind.config.ts",
  "prisma/schema.prisma",
];
const BUILD_IGNORED_DIRS = new Set(["lib/generated"]);

const STOP_GRACE_MS = 5_000;
const HEALTH_TIMEOUT_MS = 60_000;
const DEV_HEALTH_TIMEOUT_MS = 180_000; // next dev compiles the route on the first request

interface Child {
  name: string;
  pid: number;
  exited: boolean;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<Child>();
let postgresStarting: Promise<RunningPostgres> | undefined;
let migrating: Promise<unknown> | undefined;
let shuttingDown = false;

class ShutdownInProgress extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dev: { type: "boolean", default: false } } });
  const dev = values.dev ?? false;
  const config = env();
  const port = config.PORT;
  const dataDir = path.resolve(config.DATA_DIR);
  const startedAt = performance.now();
  const verbose = config.LOG_LEVEL === "debug" || config.LOG_LEVEL === "trace";
  const log: Log = {
    debug: (msg) => {
      if (verbose) say(`    ${msg}`);
    },
    info: (msg) => say(`    ${msg}`),
    warn: (msg) => say(`    warning: ${msg}`),
    error: (msg) => say(`    error: ${msg}`),
  };

  handleSignals();
  const leftovers = await stopLeftoversOfPreviousRun(dataDir);
  if (leftovers.length)
    say(`▸ cleanup … stopped ${leftovers.join(", ")} left by a killed launcher`);
  // Fail before any work if something else already answers on PORT: the health check
  // would otherwise happily report *that* server as ours.
  await assertPortFree(port);

  const authSecret = await stage("auth secret", () =>
    ensureAuthSecret(dataDir, config.AUTH_SECRET),
  );

  if (dev) {
    say("▸ build … skipped (--dev)");
  } else {
    await stage("build", async () => {
      const reason = await needsBuild();
      if (!reason) return { value: undefined, note: "up to date" };
      say(`▸ build … ${reason}; running next build`);
      const build = launch("build", [NEXT_BIN, "build"], { ...process.env });
      const { code, signal } = await build.done;
      if (code !== 0) throw new Error(`next build failed (${code ?? signal})`);
      return { value: undefined, note: "built" };
    });
  }

  const databaseUrl = await stage("database", async () => {
    if (config.DATABASE_URL) {
      return {
        value: config.DATABASE_URL,
        note: `using DATABASE_URL (${describeUrl(config.DATABASE_URL)})`,
      };
    }
    postgresStarting = startEmbeddedPostgres({
      dataDir: path.join(dataDir, "postgres"),
      port: config.EMBEDDED_PG_PORT,
      log,
    });
    const postgres = await postgresStarting;
    void postgres.exited.then(() => {
      if (shuttingDown) return;
      say(`✖ Postgres exited unexpectedly (see ${postgres.logFile})`);
      void shutdown("Postgres exited", 1);
    });
    const where = path.relative(process.cwd(), postgres.dataDir) || postgres.dataDir;
    return {
      value: postgres.url,
      note: `embedded Postgres (${where}, 127.0.0.1:${postgres.port}) ready`,
    };
  });
  throwIfStopping();

  await stage("migrations", async () => {
    const run = migrate({ url: databaseUrl, migrationsDir: MIGRATIONS_DIR, log });
    migrating = run;
    const { applied } = await run;
    return { value: undefined, note: applied.length ? `${applied.length} applied` : "up to date" };
  });
  throwIfStopping();

  const shared = {
    ...process.env, // forwarded untouched; lib/env.ts stays the only reader of variables
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: authSecret,
    AUTH_TRUST_HOST: "true",
    PORT: String(port),
    DATA_DIR: dataDir,
  };
  await stage("web + worker", async () => {
    const web = launch("web", [NEXT_BIN, dev ? "dev" : "start", "-p", String(port)], {
      ...shared,
      TRELLIS_ROLE: "web",
    });
    const worker = launch(
      "worker",
      ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "worker", "main.ts")],
      { ...shared, TRELLIS_ROLE: "worker", NODE_ENV: dev ? "development" : "production" },
    );
    for (const child of [web, worker]) {
      child.done.then(({ code, signal }) => {
        if (shuttingDown) return;
        say(`✖ ${child.name} exited unexpectedly (${code ?? signal})`);
        void shutdown(`${child.name} exited`, 1);
      });
    }
    await recordRun(dataDir);
    await waitHealthy(port, dev ? DEV_HEALTH_TIMEOUT_MS : HEALTH_TIMEOUT_MS);
    return { value: undefined, note: `healthy (web pid ${web.pid}, worker pid ${worker.pid})` };
  });

  const total = seconds(performance.now() - startedAt);
  say(`Trellis is running at http://localhost:${port}  (started in ${total}; Ctrl-C to stop)`);
  if (!dev) void warmUp(port);
}

// ─── warm-up ─────────────────────────────────────────────────────────────────

/**
 * The pages people open first. `next start` loads a route's code on its first request; without
 * a warm-up the first person to open each page after a start (a deploy) waits for that.
 */
const WARM_UP_PATHS = [
  "/sign-in",
  ...["projects", "board", "graph", "activity", "agents", "costs", "tickets"].map(
    (page) => `/warm-up/${page}`,
  ),
];

/**
 * One request per main page, one at a time, in the background once the server is healthy.
 * They carry no session, so each is answered with the redirect to sign-in: that loads the
 * route's code, but a signed-in page's queries and rendering still run for the first time
 * when a person opens it. Logs one line when done (the bench waits for it).
 */
async function warmUp(port: number): Promise<void> {
  const started = performance.now();
  let answered = 0;
  for (const page of WARM_UP_PATHS) {
    if (shuttingDown) return;
    if ((await httpStatus(`http://127.0.0.1:${port}${page}`, 30_000)) !== 0) answered++;
  }
  if (shuttingDown) return;
  say(
    `▸ warm-up … ${answered} of ${WARM_UP_PATHS.length} main pages requested once (${seconds(performance.now() - started)})`,
  );
}

// ─── stages and output ───────────────────────────────────────────────────────

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function stage<T>(name: string, run: () => Promise<{ value: T; note: string }>): Promise<T> {
  const started = performance.now();
  const { value, note } = await run();
  say(`▸ ${name} … ${note} (${seconds(performance.now() - started)})`);
  return value;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}

function throwIfStopping(): void {
  if (shuttingDown) throw new ShutdownInProgress();
}

function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

// ─── auth secret ─────────────────────────────────────────────────────────────

async function ensureAuthSecret(
  dataDir: string,
  configured: string | undefined,
): Promise<{ value: string; note: string }> {
  if (configured) return { value: configured, note: "from AUTH_SECRET" };
  const file = path.join(dataDir, "auth-secret");
  const shown = path.relative(process.cwd(), file) || file;
  const existing = await readSecret(file);
  if (existing) return { value: existing, note: `reused ${shown}` };

  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    // wx: two launchers racing on a fresh clone must end up with the same secret.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = await readSecret(file);
    if (winner) return { value: winner, note: `reused ${shown}` };
  }
  return { value: secret, note: `generated ${shown}` };
}

async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = (await readFile(file, "utf8")).trim();
  } catch {
    return undefined;
  }
  if (text.length < 16)
    throw new Error(`${file} does not hold a usable secret; delete it to generate one`);
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) await chmod(file, 0o600); // sessions are signed with it
  return text;
}

// ─── build check ─────────────────────────────────────────────────────────────

/**
 * Why the production build is stale (`undefined` when it is current): `.next/BUILD_ID` is
 * missing or older than a source file or directory (directory times catch deletions).
 */
export async function needsBuild(root: string = ROOT): Promise<string | undefined> {
  let builtAt: number;
  try {
    builtAt = (await stat(path.join(root, ".next", "BUILD_ID"))).mtimeMs;
  } catch {
    return "no production build yet";
  }
  for (const file of BUILD_INPUT_FILES) {
    const info = await stat(path.join(root, file)).catch(() => undefined);
    if (info && info.mtimeMs > builtAt) return `${file} changed since the last build`;
  }
  for (const dir of BUILD_INPUT_DIRS) {
    const changed = await newerThan(root, dir, builtAt);
    if (changed) return `${changed} changed since the last build`;
  }
  return undefined;
}

async function newerThan(root: string, dir: string, time: number): Promise<string | undefined> {
  const full = path.join(root, dir);
  let entries: Dirent[];
  try {
    if ((await stat(full)).mtimeMs > time) return dir;
    entries = await readdir(full, { withFileTypes: true });
  } catch {
    return undefined; // a folder that does not exist (yet) is not a change
  }
  const subdirs: string[] = [];
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    if (/\.test\.tsx?$/.test(entry.name)) continue; // tests are not part of the build
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!BUILD_IGNORED_DIRS.has(relative)) subdirs.push(relative);
    } else files.push(relative);
  }
  const times = await Promise.all(
    files.map((file) =>
      stat(path.join(root, file)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  const index = times.findIndex((mtime) => mtime > time);
  if (index !== -1) return files[index];
  for (const subdir of subdirs) {
    const changed = await newerThan(root, subdir, time);
    if (changed) return changed;
  }
  return undefined;
}

// ─── child processes ─────────────────────────────────────────────────────────

/**
 * Run `node <args>` in its own process group (detached), so a terminal Ctrl-C reaches only
 * us and we decide the order things stop in, and so we can signal the child's whole tree.
 */
function launch(name: string, args: string[], childEnv: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    // Next's telemetry phones home; this machine (and many deployments) have no route out.
    env: { NEXT_TELEMETRY_DISABLED: "1", ...childEnv },
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  const child: Child = {
    name,
    pid: proc.pid,
    exited: false,
    done: new Promise((resolve) => {
      proc.once("exit", (code, signal) => {
        child.exited = true;
        children.delete(child);
        resolve({ code, signal });
      });
    }),
  };
  proc.once("error", (error) => say(`✖ ${name}: ${error.message}`));
  children.add(child);
  return child;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitGroupGone(child: Child, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!child.exited || groupAlive(child.pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

async function stopChild(child: Child): Promise<void> {
  signalGroup(child.pid, "SIGTERM");
  if (await waitGroupGone(child, STOP_GRACE_MS)) return;
  say(`    ${child.name} did not stop within ${STOP_GRACE_MS / 1000}s; killing it`);
  signalGroup(child.pid, "SIGKILL");
  await waitGroupGone(child, 2_000);
}

async function waitHealthy(port: number, timeoutMs: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/api/health`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    throwIfStopping();
    if ((await httpStatus(url)) === 200) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000}s`);
}

/**
 * GET without keep-alive (fetch would pool the socket, and Next.js waits for idle keep-alive
 * sockets before it exits, adding seconds to every Ctrl-C). 0 when nothing answers.
 */
export function httpStatus(url: string, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(0));
  });
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `port ${port} is already in use (another Trellis?). Stop it or set PORT to another port.`,
            )
          : error,
      );
    });
    // No host: the dual-stack wildcard, which is what `next start` binds.
    server.listen(port, () => server.close(() => resolve()));
  });
}

// ─── leftovers of a launcher killed with SIGKILL ─────────────────────────────
// Web and worker run in their own process groups, so nobody stops them if the launcher is
// killed outright (the worker notices and exits; the web server would keep the port). We
// note who we started in <DATA_DIR>/launcher.json and, on the next start, stop those that
// are still running. Start times (from /proc) make sure a reused pid is never signalled.

interface RunRecord {
  launcher: { pid: number; startTime: string };
  children: { name: string; pid: number; startTime: string }[];
}

function runRecordFile(dataDir: string): string {
  return path.join(dataDir, "launcher.json");
}

let recordedIn: string | undefined;

async function recordRun(dataDir: string): Promise<void> {
  const record: RunRecord = {
    launcher: { pid: process.pid, startTime: (await startTimeOf(process.pid)) ?? "" },
    children: await Promise.all(
      [...children].map(async (child) => ({
        name: child.name,
        pid: child.pid,
        startTime: (await startTimeOf(child.pid)) ?? "",
      })),
    ),
  };
  await writeFile(runRecordFile(dataDir), `${JSON.stringify(record, null, 2)}\n`);
  recordedIn = runRecordFile(dataDir);
}

async function stopLeftoversOfPreviousRun(dataDir: string): Promise<string[]> {
  let record: RunRecord;
  try {
    record = JSON.parse(await readFile(runRecordFile(dataDir), "utf8")) as RunRecord;
  } catch {
    return [];
  }
  const { launcher } = record;
  if (launcher.startTime && (await startTimeOf(launcher.pid)) === launcher.startTime) {
    return []; // that launcher is still running: its children are its business
  }
  const stopped: string[] = [];
  for (const entry of record.children) {
    if (!entry.startTime || (await startTimeOf(entry.pid)) !== entry.startTime) continue;
    const child: Child = {
      name: entry.name,
      pid: entry.pid,
      exited: true, // not our child: only the group tells us when it is gone
      done: Promise.resolve({ code: null, signal: null }),
    };
    await stopChild(child);
    stopped.push(`${entry.name} (pid ${entry.pid})`);
  }
  await rm(runRecordFile(dataDir), { force: true });
  return stopped;
}

/** A process's start time in clock ticks since boot (Linux), or undefined. */
async function startTimeOf(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Field 22; counting starts after the ")" that closes the command name (field 3 = state).
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

// ─── shutdown ────────────────────────────────────────────────────────────────

function handleSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    // Repeats (a terminal Ctrl-C also relayed by npm/tsx) must not cut the ordered stop short;
    // stuck children are escalated to SIGKILL on a timer instead.
    process.on(signal, () => void shutdown(signal, 0));
  }
  // Our output may go to a pipe whose reader is gone; that must not crash us mid-shutdown.
  process.stdout.on("error", () => {});
  process.on("uncaughtException", (error) => {
    say(`✖ launcher crashed: ${error.stack ?? error.message}`);
    void shutdown("crash", 1);
  });
}

/** Stop web and worker (their whole process groups), then Postgres, then exit. */
async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  const started = performance.now();
  const postgres = await postgresStarting?.catch(() => undefined);
  if (children.size === 0 && !postgres && !migrating) process.exit(exitCode); // nothing started
  say(`▸ stopping (${reason}) …`);
  const parts: string[] = [];
  await Promise.all(
    [...children].map(async (child) => {
      await stopChild(child);
      parts.push(`${child.name} ${seconds(performance.now() - started)}`);
    }),
  );
  // Stopping Postgres under a running migration would leave it marked failed (P3009).
  await migrating?.catch(() => {});
  if (postgres) {
    const postgresStarted = performance.now();
    await postgres
      .stop()
      .catch((error: unknown) => say(`    could not stop Postgres: ${String(error)}`));
    parts.push(`postgres ${seconds(performance.now() - postgresStarted)}`);
  }
  // Only ours: a launcher that failed to start must not erase a running one's record.
  if (recordedIn) await rm(recordedIn, { force: true }).catch(() => {});
  const detail = parts.length ? `: ${parts.join(", ")}` : "";
  say(`▸ stopped (${seconds(performance.now() - started)}${detail})`);
  process.exit(exitCode);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));

if (invokedDirectly) {
  main().catch((error: unknown) => {
    if (error instanceof ShutdownInProgress || shuttingDown) return; // shutdown() owns the exit
    say(`✖ ${error instanceof Error ? error.message : String(error)}`);
    void shutdown("startup failed", 1);
  });
}
