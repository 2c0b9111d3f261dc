import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { env } from "@/lib/env";

export type NetworkIsolation = "unshare" | "unavailable";
export type ProcessIsolation = "pid-namespace" | "unavailable";
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
  /**
   * Directories outside the worktree the command needs (a prompt file's folder): kept in view
   * where the rest of the temp dir and DATA_DIR are hidden.
   */
  visible?: string[];
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
  /**
   * "pid-namespace": other processes, the server's secret files, other tasks' worktrees and
   * mirrors (DATA_DIR) and other runs' temp files were out of sight.
   */
  processIsolation: ProcessIsolation;
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
  tmpDir = os.tmpdir(),
): Record<string, string> {
  return {
    PATH: `${NODE_DIR}:${SYSTEM_PATH}`,
    HOME: home,
    TMPDIR: tmpDir,
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

// What Next.js loads from the directory the server runs in (production and development).
const DOTENV_FILES = [
  ".env",
  ".env.local",
  ".env.production",
  ".env.production.local",
  ".env.development",
  ".env.development.local",
];

/**
 * Files and directories holding the server's secrets, hidden from sandboxed commands: the embedded
 * Postgres cluster (its password file, every organization's rows) and server log, the generated
 * auth secret (scripts/start.ts, lib/db/embedded-postgres.ts), and the .env files Next.js loads
 * from the directory the server runs in. A path that does not exist is skipped. (All of DATA_DIR
 * is replaced as well, see mountPlan; these stay hidden when it cannot be.)
 */
export function sandboxHiddenPaths(): string[] {
  const dataDir = path.resolve(env().DATA_DIR);
  return [
    ...["postgres", "postgres.log", "auth-secret"].map((name) => path.join(dataDir, name)),
    ...DOTENV_FILES.map((name) => path.resolve(name)),
  ];
}

/**
 * PID 1 of the command's PID namespace. Its arguments are four lists, each ended by `--`, then
 * the command: the command's own directories; the directories replaced by a private empty tmpfs
 * (DATA_DIR, the temp dir), which hold some of the own ones; the own directories again; paths to
 * hide (an empty read-only tmpfs over a directory, /dev/null over a file). The own directories
 * are held open (fds 3 and up) across the replacing and bound back from those fds onto fresh
 * mount points (then closed: `..` from one leads into the old tree), so the command sees its
 * worktree, its git directory, HOME and TMPDIR, and nothing of other tasks and runs. Then a
 * private /dev/shm, a `cd` so that `..` is looked up in the new tree, and the command as init's
 * child with every capability dropped for good, so that it cannot undo any of this (`umount
 * /proc` would bring back every process on the machine) or enter another namespace. Not `exec`:
 * a namespace's init ignores signals it has no handler for, so the command itself would shrug off
 * SIGTERM; as PID 2 it behaves as anywhere else. When it ends, init exits and the kernel kills
 * whatever is left in the namespace (setsid escapees too). A step that fails stops the command
 * rather than run it with others' data in view.
 */
const NAMESPACE_INIT = `
fd=3
while [ "$1" != -- ]; do
  eval "exec $fd<\\"\\$1\\"" || exit 126
  fd=$((fd + 1)); shift
done
shift
while [ "$1" != -- ]; do
  mount -t tmpfs -o nosuid,nodev,mode=1777 private "$1" || exit 126
  shift
done
shift
fd=3
while [ "$1" != -- ]; do
  mount --rbind -o X-mount.mkdir /proc/self/fd/$fd "$1" || exit 126
  eval "exec $fd<&-"
  fd=$((fd + 1)); shift
done
shift
while [ "$1" != -- ]; do
  if [ -d "$1" ]; then mount -t tmpfs -o ro,nosuid,nodev,noexec,size=4k,mode=0555 hidden "$1" || exit 126
  elif [ -e "$1" ]; then mount --bind /dev/null "$1" || exit 126
  fi
  shift
done
shift
mount -t tmpfs -o nosuid,nodev shm /dev/shm || exit 126
cd "$PWD" || exit 126
setpriv --no-new-privs --inh-caps=-all --bounding-set=-all -- "$@"`;

interface MountPlan {
  /** The command's own directories inside `replace`, outermost only. */
  keep: string[];
  /** Replaced by an empty private tmpfs. */
  replace: string[];
  hide: string[];
}

/** The namespace init and its arguments, up to the command. */
function initCommand(plan: MountPlan): string[] {
  const { keep, replace, hide } = plan;
  return [
    ...["/bin/sh", "-c", NAMESPACE_INIT, "trellis-sandbox"],
    ...[...keep, "--", ...replace, "--", ...keep, "--", ...hide, "--"],
  ];
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir === "/" ? "/" : `${dir}/`);

/** The paths without those inside another of them. */
function outermost(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  return sorted.filter((p, i) => !sorted.slice(0, i).some((outer) => within(p, outer)));
}

/** Real paths (mounts need them) of the ones that exist. */
async function realPaths(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => realpath(p).catch(() => null)));
  return found.filter((p): p is string => p !== null);
}

/**
 * The git directories a command in the worktree `cwd` needs to commit, when they live elsewhere:
 * a linked worktree's `.git` file points to `<common dir>/worktrees/<name>`, whose `commondir`
 * points back (read here rather than asking git: a process start per command costs more).
 */
async function gitDirs(cwd: string): Promise<string[]> {
  const dotGit = await readFile(path.join(cwd, ".git"), "utf8").catch(() => "");
  const gitDir = /^gitdir: (.+)$/m.exec(dotGit)?.[1];
  if (!gitDir) return []; // a .git directory (inside the worktree), or no repository
  const own = path.resolve(cwd, gitDir);
  const common = await readFile(path.join(own, "commondir"), "utf8").catch(() => null);
  return common === null ? [own] : [own, path.resolve(own, common.trim())];
}

/**
 * What the namespace init mounts: DATA_DIR (every organization's worktrees and GitHub mirrors)
 * and the temp dir (other runs' HOMEs and prompt files) are replaced, except for `own` (the
 * command's worktree, HOME, TMPDIR), its git directories and the node installation, which may
 * live there. A replaced directory inside an own one (DATA_DIR inside the worktree) is hidden.
 */
async function mountPlan(cwd: string, own: string[]): Promise<MountPlan> {
  const keep = outermost(
    await realPaths([cwd, ...own, ...(await gitDirs(cwd)), path.dirname(NODE_DIR)]),
  );
  const roots = outermost(await realPaths([env().DATA_DIR, os.tmpdir()])).filter((r) => r !== "/");
  const replace = roots.filter((r) => !keep.some((k) => within(r, k)));
  const kept = keep.filter((k) => replace.some((r) => within(k, r)));
  // The init holds them open as fds 3 to 9 (the shell's single-digit redirections).
  if (kept.length > 7) throw new Error(`The sandbox keeps at most 7 own directories: ${kept}`);
  return {
    keep: kept,
    replace,
    hide: [
      ...roots.filter((r) => keep.some((k) => r !== k && within(r, k))),
      ...sandboxHiddenPaths(),
    ],
  };
}

// A private /proc (only the namespace's processes) and SysV IPC; --mount-proc implies --mount.
const PID_FLAGS = ["--pid", "--fork", "--mount-proc", "--ipc"] as const;

interface Isolation {
  /** Flags every unshare needs here: none as root, a user namespace otherwise. */
  userFlags: readonly string[];
  network: boolean;
  process: boolean;
}

let detection: Promise<Isolation> | undefined;

function tryRun(file: string, args: string[], cwd?: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, env: sandboxEnv(os.tmpdir()) as NodeJS.ProcessEnv, timeout: 5_000 },
      (error) => resolve(!error),
    );
  });
}

/**
 * Whether a command in a PID namespace sees init as its parent, its own directory but not the one
 * beside it, not a hidden file, and cannot unhide it.
 */
async function pidNamespaceWorks(userFlags: readonly string[]): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "trellis-probe-"));
  try {
    const secret = path.join(dir, "secret");
    await writeFile(secret, "probe");
    // Not right under the replaced directory: `..` must be looked up in the new tree too.
    const [replaced, own] = [
      path.join(dir, "replaced"),
      path.join(dir, "replaced", "tasks", "own"),
    ];
    await mkdir(path.join(replaced, "tasks", "other"), { recursive: true });
    await mkdir(own);
    await writeFile(path.join(own, "ok"), "probe");
    return await tryRun(
      "unshare",
      [
        ...userFlags,
        ...PID_FLAGS,
        "--",
        ...initCommand({ keep: [own], replace: [replaced], hide: [secret] }),
        "/bin/sh",
        "-c",
        `[ "$PPID" = 1 ] && [ -s ok ] && [ ! -e ../other ] && [ ! -s "$1" ] && ! umount "$1" 2>/dev/null`,
        ...["probe", secret],
      ],
      own,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function detectIsolation(): Promise<Isolation> {
  detection ??= (async () => {
    // As root plain namespaces work; otherwise (or in some containers) a user namespace is needed.
    const isRoot = process.getuid?.() === 0;
    const candidates = isRoot ? [[], ["--map-root-user"]] : [["--map-root-user"]];
    for (const userFlags of candidates) {
      const [network, processes] = await Promise.all([
        tryRun("unshare", [...userFlags, "--net", "--", "/bin/sh", "-c", "exit 0"]),
        pidNamespaceWorks(userFlags),
      ]);
      if (network || processes) return { userFlags, network, process: processes };
    }
    return { userFlags: [], network: false, process: false };
  })();
  return detection;
}

/** The unshare (and namespace init) in front of the command; empty when nothing applies. */
async function isolationPrefix(
  isolation: Isolation,
  network: "none" | "allowed",
  cwd: string,
  own: string[],
): Promise<string[]> {
  const flags = [
    ...(network === "none" && isolation.network ? ["--net"] : []),
    ...(isolation.process ? PID_FLAGS : []),
  ];
  if (flags.length === 0) return [];
  const init = isolation.process ? initCommand(await mountPlan(cwd, own)) : [];
  return ["unshare", ...isolation.userFlags, ...flags, "--", ...init];
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
  return (await detectIsolation()).network ? "unshare" : "unavailable";
}

/** Whether commands run out of sight of other processes and the server's secret files. */
export async function processIsolation(): Promise<ProcessIsolation> {
  return (await detectIsolation()).process ? "pid-namespace" : "unavailable";
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

  const isolation = await detectIsolation();
  const reported = {
    networkIsolation:
      network === "allowed" ? "not-requested" : isolation.network ? "unshare" : "unavailable",
    processIsolation: isolation.process ? "pid-namespace" : "unavailable",
  } as const;

  if (options.signal?.aborted) {
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      cancelled: true,
      output: "",
      truncated: false,
      durationMs: performance.now() - started,
      ...reported,
    };
  }

  // The run's own HOME (unless given) and TMPDIR, removed afterwards.
  const runDir = await mkdtemp(path.join(os.tmpdir(), "trellis-run-"));
  const home = options.home ?? path.join(runDir, "home");
  const tmpDir = path.join(runDir, "tmp");
  try {
    await Promise.all([mkdir(home, { recursive: true }), mkdir(tmpDir)]);
    const target: string[] =
      options.command !== undefined
        ? ["/bin/sh", "-c", options.command]
        : [options.file, ...(options.args ?? [])];
    const argv = [
      ...(await backstopPrefix(timeoutMs, killGraceMs)),
      ...(await isolationPrefix(isolation, network, options.cwd, [
        runDir,
        home,
        ...(options.visible ?? []),
      ])),
      ...target,
    ];

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
        env: sandboxEnv(home, options.env, tmpDir) as NodeJS.ProcessEnv,
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
          ...reported,
        });
      };

      child.on("error", (error) => {
        // Spawn failures (missing cwd or executable): no process ever ran.
        spawnError = error;
        if (child.pid === undefined) finish();
      });
      child.on("exit", (code, signal) => {
        // In a PID namespace the command's parent is its init shell, which cannot die of a signal
        // and reports the command ended by our SIGTERM as exit 143, as shells do: say what happened.
        const terminated =
          isolation.process &&
          (timedOut || cancelled) &&
          code === 128 + os.constants.signals.SIGTERM;
        exit = terminated ? { code: null, signal: "SIGTERM" } : { code, signal };
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
    await rm(runDir, { recursive: true, force: true }).catch(() => {});
  }
}
