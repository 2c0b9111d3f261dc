import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";

export type NetworkIsolation = "unshare" | "unavailable";
export type OutputStream = "stdout" | "stderr";

export interface OutputEvent {
  stream: OutputStream;
  text: string;
}

interface CommonOptions {
  /** Working directory: the task's worktree. */
  cwd: string;
  /** Extra variables, applied last (they may override the defaults, PATH included). */
  env?: Record<string, string>;
  /** HOME for the command; a fresh temp directory (removed afterwards) when unset. */
  home?: string;
  /** Wall-clock limit; on expiry the process group gets SIGTERM, then SIGKILL after the grace. */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on timeout or cancel. */
  killGraceMs?: number;
  /** Cap on the stdout+stderr kept in `output` (and streamed to onOutput). */
  maxOutputBytes?: number;
  /** Live output, split into lines (a trailing partial line is flushed at exit). */
  onOutput?: (event: OutputEvent) => void;
  /** Cancels the run: the process group is killed and `cancelled` is set. */
  signal?: AbortSignal;
  /** "none" (the default) runs the command in an empty network namespace when the OS allows. */
  network?: "none" | "allowed";
}

export type SandboxOptions = CommonOptions &
  (
    | { /** Run through `/bin/sh -c`. */ command: string; file?: never; args?: never }
    | { command?: never /** Executable, run without a shell. */; file: string; args?: string[] }
  );

export interface SandboxResult {
  /** Null when the process was ended by a signal (or could not start). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Interleaved stdout+stderr, capped at maxOutputBytes, with a marker when truncated. */
  output: string;
  truncated: boolean;
  durationMs: number;
  /** How "no network" was enforced; "not-requested" when network was "allowed". */
  networkIsolation: NetworkIsolation | "not-requested";
}

export const SANDBOX_DEFAULTS = {
  timeoutMs: 10 * 60_000,
  killGraceMs: 5_000,
  maxOutputBytes: 1024 * 1024,
} as const;

const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
// The directory of the running node binary, so `node`/`npx` resolve inside the sandbox too.
const NODE_DIR = path.dirname(process.execPath);
// Lines longer than this are streamed in pieces rather than held back.
const MAX_PENDING_LINE = 16 * 1024;

/**
 * The command's whole environment, built from scratch: nothing is inherited from process.env, so
 * server secrets (DATABASE_URL, AUTH_SECRET, API keys) never reach agent-run commands.
 */
export function sandboxEnv(
  home: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: `${NODE_DIR}:${SYSTEM_PATH}`,
    HOME: home,
    TMPDIR: os.tmpdir(),
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TERM: "dumb",
    CI: "true",
    NO_COLOR: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Trellis Agent",
    GIT_AUTHOR_EMAIL: "agent@trellis.local",
    GIT_COMMITTER_NAME: "Trellis Agent",
    GIT_COMMITTER_EMAIL: "agent@trellis.local",
    ...extra,
  };
}

type UnsharePrefix = readonly string[];

let detection: Promise<UnsharePrefix | null> | undefined;

function tryRun(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: sandboxEnv(os.tmpdir()) as NodeJS.ProcessEnv, timeout: 5_000 },
      (error) => resolve(!error),
    );
  });
}

function detectUnshare(): Promise<UnsharePrefix | null> {
  detection ??= (async () => {
    // As root a plain new network namespace works; otherwise a user namespace is needed too.
    const isRoot = process.getuid?.() === 0;
    const candidates: UnsharePrefix[] = isRoot
      ? [["--net"], ["--net", "--map-root-user"]]
      : [["--net", "--map-root-user"]];
    for (const flags of candidates) {
      if (await tryRun("unshare", [...flags, "--", "/bin/sh", "-c", "exit 0"])) {
        return ["unshare", ...flags, "--"];
      }
    }
    return null;
  })();
  return detection;
}

let backstopDetection: Promise<boolean> | undefined;

/** coreutils `timeout`, to end a command even when the process that started it is killed. */
function hasTimeoutCommand(): Promise<boolean> {
  backstopDetection ??= tryRun("timeout", ["5", "/bin/sh", "-c", "exit 0"]);
  return backstopDetection;
}

/**
 * Our own timer enforces the limit, but if the worker dies (kill -9) nobody is left to fire
 * it: the command also runs under `timeout`, which kills it a little after the limit and
 * grace have passed. `-s KILL` because by then it has already ignored a SIGTERM.
 */
async function backstopPrefix(timeoutMs: number, killGraceMs: number): Promise<string[]> {
  if (!(await hasTimeoutCommand())) return [];
  const seconds = Math.ceil((timeoutMs + killGraceMs) / 1000) + 5;
  return ["timeout", "-s", "KILL", `${seconds}s`];
}

/** Whether commands can be cut off from the network here (detected once per process). */
export async function networkIsolation(): Promise<NetworkIsolation> {
  return (await detectUnshare()) ? "unshare" : "unavailable";
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the whole process group, so grandchildren (test runners, servers) go too.
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Runs an agent tool or verification command with a clean env, time limit, output cap and no network. */
export async function runSandboxed(options: SandboxOptions): Promise<SandboxResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
  const killGraceMs = options.killGraceMs ?? SANDBOX_DEFAULTS.killGraceMs;
  const maxOutputBytes = options.maxOutputBytes ?? SANDBOX_DEFAULTS.maxOutputBytes;
  const network = options.network ?? "none";

  const prefix = network === "none" ? await detectUnshare() : null;
  const isolation: SandboxResult["networkIsolation"] =
    network === "allowed" ? "not-requested" : prefix ? "unshare" : "unavailable";

  if (options.signal?.aborted) {
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      cancelled: true,
      output: "",
      truncated: false,
      durationMs: performance.now() - started,
      networkIsolation: isolation,
    };
  }

  const ownHome = options.home === undefined;
  const home = options.home ?? (await mkdtemp(path.join(os.tmpdir(), "trellis-home-")));
  const target: string[] =
    options.command !== undefined
      ? ["/bin/sh", "-c", options.command]
      : [options.file, ...(options.args ?? [])];
  const argv = [...(await backstopPrefix(timeoutMs, killGraceMs)), ...(prefix ?? []), ...target];

  try {
    return await new Promise<SandboxResult>((resolve) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let dropped = 0;
      let timedOut = false;
      let cancelled = false;
      let spawnError: Error | undefined;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      let closeTimer: NodeJS.Timeout | undefined;
      let settled = false;

      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: options.cwd,
        // Next's typings make NODE_ENV mandatory; the sandbox deliberately leaves it unset.
        env: sandboxEnv(home, options.env) as NodeJS.ProcessEnv,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });

      const stop = (reason: "timeout" | "cancel") => {
        if (exit || killTimer) return;
        if (reason === "timeout") timedOut = true;
        else cancelled = true;
        killGroup(child, "SIGTERM");
        killTimer = setTimeout(() => killGroup(child, "SIGKILL"), killGraceMs);
      };
      const timer = setTimeout(() => stop("timeout"), timeoutMs);
      const onAbort = () => stop("cancel");
      options.signal?.addEventListener("abort", onAbort, { once: true });

      const pending: Record<OutputStream, string> = { stdout: "", stderr: "" };
      const decoders: Record<OutputStream, StringDecoder> = {
        stdout: new StringDecoder("utf8"),
        stderr: new StringDecoder("utf8"),
      };
      const deliver = (event: OutputEvent) => {
        try {
          options.onOutput?.(event);
        } catch {
          // A failing log sink must not take down the run (or the worker) with it.
        }
      };
      const emit = (stream: OutputStream, text: string, flush: boolean) => {
        if (!options.onOutput) return;
        let buffered = pending[stream] + text;
        let newline = buffered.indexOf("\n");
        while (newline !== -1) {
          deliver({ stream, text: buffered.slice(0, newline + 1) });
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf("\n");
        }
        if (buffered && (flush || buffered.length > MAX_PENDING_LINE)) {
          deliver({ stream, text: buffered });
          buffered = "";
        }
        pending[stream] = buffered;
      };
      const onData = (stream: OutputStream) => (data: Buffer) => {
        const room = maxOutputBytes - kept;
        const piece = room >= data.length ? data : data.subarray(0, Math.max(room, 0));
        dropped += data.length - piece.length;
        if (piece.length === 0) return;
        chunks.push(piece);
        kept += piece.length;
        emit(stream, decoders[stream].write(piece), false);
      };
      child.stdout?.on("data", onData("stdout"));
      child.stderr?.on("data", onData("stderr"));

      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(killTimer);
        clearTimeout(closeTimer);
        options.signal?.removeEventListener("abort", onAbort);
        for (const stream of ["stdout", "stderr"] as const) {
          emit(stream, decoders[stream].end(), true);
        }
        let output = Buffer.concat(chunks).toString("utf8");
        if (spawnError) output += `${output ? "\n" : ""}[could not start: ${spawnError.message}]\n`;
        if (dropped > 0) {
          const marker = `\n[output truncated: ${dropped} more bytes after the first ${maxOutputBytes}]\n`;
          output += marker;
          deliver({ stream: "stderr", text: marker });
        }
        resolve({
          exitCode: spawnError ? 127 : (exit?.code ?? null),
          signal: exit?.signal ?? null,
          timedOut,
          cancelled,
          output,
          truncated: dropped > 0,
          durationMs: Math.round(performance.now() - started),
          networkIsolation: isolation,
        });
      };

      child.on("error", (error) => {
        // Spawn failures (missing cwd or executable): no process ever ran.
        spawnError = error;
        if (child.pid === undefined) finish();
      });
      child.on("exit", (code, signal) => {
        exit = { code, signal };
        // Leftover background processes would hold the pipes open; the run is over, so end them.
        killGroup(child, "SIGKILL");
        // A process that escaped the group (setsid) may still hold a pipe: do not wait for it forever.
        closeTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        }, killGraceMs);
      });
      child.on("close", finish);
    });
  } finally {
    if (ownHome) await rm(home, { recursive: true, force: true }).catch(() => {});
  }
}
