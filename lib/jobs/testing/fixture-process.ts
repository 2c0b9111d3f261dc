// Starts fixture-worker.ts (or another worker script) as a child process, the way the launcher
// starts worker/main.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const READY_MARKER = "FIXTURE_WORKER_READY";

const SCRIPT = fileURLToPath(new URL("./fixture-worker.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface FixtureWorker {
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Kill without any chance to clean up, as a crash or `kill -9` would. */
  crash(): Promise<void>;
  /** Ask it to shut down (SIGTERM) and wait for it. */
  stop(): Promise<void>;
  /** The process' recent output, for failure messages. */
  output(): string;
}

export interface FixtureWorkerOptions {
  timeoutMs?: number;
  /** Another worker script (default fixture-worker.ts); it prints READY_MARKER when ready. */
  script?: string;
  /** Variables added to the test process' environment. */
  env?: Record<string, string>;
}

export async function startFixtureWorker(
  databaseUrl: string,
  { timeoutMs = 45_000, script = SCRIPT, env }: FixtureWorkerOptions = {},
): Promise<FixtureWorker> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", script, databaseUrl],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  // Keep draining both pipes (a full pipe would block the worker's logging) and keep a tail.
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`fixture worker not ready after ${timeoutMs} ms:\n${tail}`));
    }, timeoutMs);
    const onData = () => {
      if (tail.includes(READY_MARKER)) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`fixture worker exited before it was ready:\n${tail}`));
    });
  });

  const pid = child.pid;
  if (pid === undefined) throw new Error("fixture worker has no pid");
  return {
    pid,
    exited,
    crash: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    output: () => tail,
  };
}
