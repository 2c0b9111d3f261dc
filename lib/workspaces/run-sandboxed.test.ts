import { execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { makeGitRepo } from "@/lib/testing/git-repo";
import {
  networkIsolation,
  type OutputEvent,
  processIsolation,
  runSandboxed,
} from "./run-sandboxed";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "trellis-sandbox-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Alive means running: a zombie waiting for a reaper (no init in some containers) is dead. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/**
 * Running processes whose command line holds `marker`, as seen from here. Pids a command writes
 * down are no use: inside its PID namespace they are not the ones out here.
 */
function running(marker: string): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(marker) && isAlive(Number(entry))) {
        found.push({ pid: Number(entry), cmdline });
      }
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** A `sleep` duration of about 30 s that no other process has: `sleep ${marker}`. */
const sleepMarker = () => (29 + Math.random()).toFixed(6);
const sleeping = (marker: string) =>
  running(marker).filter((p) => p.cmdline.startsWith(`sleep ${marker}`));

/** The same command without the sandbox: what it would see if it ran unconfined. */
function unconfined(command: string, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-c", command], { cwd }, (_error, stdout, stderr) =>
      resolve(stdout + stderr),
    );
  });
}

/** Resolves with the first truthy value of `read`, checked every 50 ms. */
async function poll<T>(read: () => T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("poll timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("runSandboxed environment", () => {
  const secrets = ["DATABASE_URL", "AUTH_SECRET", "ANTHROPIC_API_KEY", "STRIPE_SECRET_KEY"];
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const name of secrets) {
      saved[name] = process.env[name];
      // Well-formed, because lib/env.ts parses the environment for the sandbox's hidden paths.
      process.env[name] =
        name === "DATABASE_URL" ? "postgres://leaked-db@host/db" : `leaked-${name}`;
    }
  });
  afterAll(() => {
    for (const name of secrets) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("builds the environment from scratch, with the caller's extras", async () => {
    const result = await runSandboxed({
      cwd: dir,
      command: "env; pwd",
      env: { TASK_ID: "tsk_1" },
    });
    expect(result.exitCode).toBe(0);
    expect(result.output).not.toContain("leaked-");
    for (const name of secrets) expect(result.output).not.toMatch(new RegExp(`^${name}=`, "m"));
    expect(result.output).toMatch(/^CI=true$/m);
    expect(result.output).toMatch(/^TERM=dumb$/m);
    expect(result.output).toMatch(/^TASK_ID=tsk_1$/m);
    expect(result.output).toMatch(/^GIT_AUTHOR_NAME=/m);
    expect(result.output).toContain(`\n${dir}\n`);
    const home = /^HOME=(.*)$/m.exec(result.output)?.[1];
    expect(home).toBeTruthy();
    expect(home).not.toBe(os.homedir());
    // The temp HOME is cleaned up after the run.
    expect(existsSync(home!)).toBe(false);
  });

  it("runs a file with arguments without a shell", async () => {
    const result = await runSandboxed({
      cwd: dir,
      file: process.execPath,
      args: ["-e", "console.log(process.argv[1]); process.exit(7)", "a b;$(x)"],
    });
    expect(result.exitCode).toBe(7);
    expect(result.output).toBe("a b;$(x)\n");
  });

  it("reports a command that cannot start as exit 127", async () => {
    const result = await runSandboxed({
      cwd: path.join(dir, "missing"),
      command: "true",
      network: "allowed",
    });
    expect(result.exitCode).toBe(127);
    expect(result.output).toContain("could not start");
  });
});

describe("runSandboxed network", () => {
  let server: net.Server;
  let port: number;
  beforeAll(async () => {
    server = net.createServer((socket) => socket.end("hello\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const connect = () =>
    `const s = require("net").connect(${port}, "127.0.0.1");` +
    `s.on("data", (d) => { process.stdout.write(d); process.exit(0); });` +
    `s.on("error", (e) => { console.log(e.code); process.exit(3); });`;

  it("reaches a local server when the network is allowed", async () => {
    const result = await runSandboxed({
      cwd: dir,
      file: process.execPath,
      args: ["-e", connect()],
      network: "allowed",
    });
    expect(result.networkIsolation).toBe("not-requested");
    expect(result.output).toBe("hello\n");
    expect(result.exitCode).toBe(0);
  });

  it("cannot reach it with network none, or says isolation is unavailable", async () => {
    const mode = await networkIsolation();
    const result = await runSandboxed({
      cwd: dir,
      file: process.execPath,
      args: ["-e", connect()],
      network: "none",
    });
    expect(result.networkIsolation).toBe(mode);
    if (mode === "unshare") {
      expect(result.exitCode).toBe(3);
      expect(result.output).not.toContain("hello");
    } else {
      expect(result.exitCode).toBe(0);
    }
  });
});

describe("runSandboxed limits", () => {
  it("kills the whole process group on timeout", async () => {
    const marker = sleepMarker();
    const result = await runSandboxed({
      cwd: dir,
      command: `sleep ${marker} & sleep ${marker}`,
      timeoutMs: 300,
      killGraceMs: 1_000,
    });
    expect(result.timedOut).toBe(true);
    expect(result.cancelled).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe("SIGTERM");
    expect(result.durationMs).toBeLessThan(300 + 1_000 + 1_000);
    expect(running(marker)).toEqual([]);
  });

  it("still ends the command when the process that started it is killed with SIGKILL", async () => {
    const marker = sleepMarker();
    const parent = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./testing/sandbox-parent.ts", import.meta.url)),
        dir,
        "500",
        `exec sleep ${marker}`,
      ],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)), stdio: "ignore" },
    );
    await poll(() => sleeping(marker).length > 0);
    parent.kill("SIGKILL");
    // Orphaned, with nobody left to enforce the 500 ms limit.
    expect(sleeping(marker)).not.toEqual([]);
    // The `timeout` backstop: limit + grace rounded up, plus 5 s; then nothing of it is left.
    await poll(() => running(marker).length === 0, 15_000);
  }, 30_000);

  it("SIGKILLs a command that ignores SIGTERM after the grace period", async () => {
    const result = await runSandboxed({
      cwd: dir,
      command: "trap '' TERM; sleep 30",
      timeoutMs: 200,
      killGraceMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGKILL");
    expect(result.durationMs).toBeGreaterThanOrEqual(450);
  });

  it("cancels through an AbortSignal", async () => {
    const controller = new AbortController();
    const marker = sleepMarker();
    let before: unknown[] = [];
    const result = await runSandboxed({
      cwd: dir,
      command: `sleep ${marker} & echo started; wait`,
      signal: controller.signal,
      onOutput: (event) => {
        if (event.text !== "started\n") return;
        void poll(() => sleeping(marker).length > 0).then(() => {
          before = sleeping(marker);
          controller.abort();
        });
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(before).toHaveLength(1);
    expect(running(marker)).toEqual([]);
  });

  it("does not start when already cancelled", async () => {
    const marker = path.join(dir, "never");
    const result = await runSandboxed({
      cwd: dir,
      command: `touch "${marker}"`,
      signal: AbortSignal.abort(),
    });
    expect(result.cancelled).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it("caps the output and marks the truncation", async () => {
    const seen: OutputEvent[] = [];
    const result = await runSandboxed({
      cwd: dir,
      command: "head -c 200000 /dev/zero | tr '\\0' a; echo; echo tail-line",
      maxOutputBytes: 1_000,
      onOutput: (event) => seen.push(event),
    });
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.output.startsWith("a".repeat(1_000))).toBe(true);
    expect(result.output).not.toContain("tail-line");
    expect(result.output).toContain("[output truncated");
    expect(result.output.length).toBeLessThan(1_200);
    const streamed = seen.map((e) => e.text).join("");
    expect(streamed.length).toBeLessThan(1_200);
    expect(streamed).toContain("[output truncated");
  });

  it("streams output lines while the command is still running", async () => {
    const go = path.join(dir, "go");
    const seen: OutputEvent[] = [];
    // The command waits for a file that the test only writes after seeing the first line live.
    const result = await runSandboxed({
      cwd: dir,
      command: `echo ready; while [ ! -f "${go}" ]; do sleep 0.02; done; echo oops >&2; printf done`,
      timeoutMs: 5_000,
      onOutput: (event) => {
        seen.push(event);
        if (event.text === "ready\n") writeFileSync(go, "");
      },
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(seen).toEqual([
      { stream: "stdout", text: "ready\n" },
      { stream: "stderr", text: "oops\n" },
      { stream: "stdout", text: "done" },
    ]);
    expect(result.output).toBe("ready\noops\ndone");
  });
});

describe("runSandboxed process isolation", () => {
  it("cannot see other processes or the secrets in their environment", async () => {
    const secret = `secret-${randomBytes(12).toString("hex")}`;
    const helper = spawn("sleep", ["30"], {
      env: { SECRET_X: secret } as Record<string, string> as NodeJS.ProcessEnv, // no NODE_ENV
      stdio: "ignore",
    });
    // Every process the command can see (pid and command line), then every environment it can read.
    const look =
      `for p in /proc/[0-9]*; do echo "\${p#/proc/} $(tr '\\0' ' ' < "$p/cmdline" 2>/dev/null)"; done;` +
      `cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'`;
    try {
      await poll(() => isAlive(helper.pid ?? 0));
      const outside = await unconfined(look, dir);
      expect(outside).toMatch(new RegExp(`^${helper.pid} sleep 30 $`, "m"));
      expect(outside).toContain(`SECRET_X=${secret}`);

      const mode = await processIsolation();
      // Trying to undo it first: without the private /proc every process is back in view.
      const result = await runSandboxed({
        cwd: dir,
        command: `umount /proc; umount -l /proc; ${look}`,
      });
      expect(result.exitCode).toBe(0);
      expect(result.processIsolation).toBe(mode);
      if (mode === "pid-namespace") {
        expect(result.output).not.toContain(secret);
        expect(result.output).not.toMatch(new RegExp(`^(${helper.pid}|${process.pid}) `, "m"));
        // What it does see: its own namespace, with the sandbox's init as PID 1.
        expect(result.output).toMatch(/^1 \/bin\/sh -c/m);
      } else {
        expect(result.output).toContain(secret);
      }
    } finally {
      helper.kill("SIGKILL");
    }
  });

  /** Sets DATA_DIR (and TMPDIR, where the sandbox puts runs' files) for one test. */
  async function withServerDirs(
    dirs: { DATA_DIR: string; TMPDIR?: string },
    body: () => Promise<void>,
  ) {
    const saved = { DATA_DIR: process.env.DATA_DIR, TMPDIR: process.env.TMPDIR };
    const set = (name: "DATA_DIR" | "TMPDIR", value: string | undefined) => {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    };
    try {
      set("DATA_DIR", dirs.DATA_DIR);
      if (dirs.TMPDIR) set("TMPDIR", dirs.TMPDIR);
      resetEnvForTests();
      await body();
    } finally {
      set("DATA_DIR", saved.DATA_DIR);
      set("TMPDIR", saved.TMPDIR);
      resetEnvForTests();
    }
  }

  it("hides the server's secret files, even from a command run in DATA_DIR itself", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "trellis-sandbox-data-"));
    const secrets = ["auth-secret", "postgres/trellis-password", "postgres.log"].map((file) => {
      const value = `secret-${randomBytes(12).toString("hex")}`;
      mkdirSync(path.dirname(path.join(dataDir, file)), { recursive: true });
      writeFileSync(path.join(dataDir, file), `${value}\n`);
      return value;
    });
    const worktree = path.join(dataDir, "worktrees", "tsk_1");
    mkdirSync(worktree, { recursive: true });
    const read = `cd "${dataDir}"; cat auth-secret postgres/trellis-password postgres.log`;
    try {
      await withServerDirs({ DATA_DIR: dataDir }, async () => {
        const outside = await unconfined(read, worktree);
        for (const value of secrets) expect(outside).toContain(value);

        const mode = await processIsolation();
        // From a task's worktree, and from DATA_DIR itself (where it cannot be replaced wholesale).
        for (const cwd of [worktree, dataDir]) {
          const result = await runSandboxed({
            cwd,
            command: [
              `umount "${dataDir}/postgres" "${dataDir}/auth-secret"`, // trying to undo it first
              read,
              `cd "${cwd}"; echo work > result.txt; echo planted > "${dataDir}/postgres/planted"`,
            ].join("; "),
          });
          expect(result.processIsolation).toBe(mode);
          expect(readFileSync(path.join(cwd, "result.txt"), "utf8")).toBe("work\n");
          if (mode === "pid-namespace") {
            for (const value of secrets) expect(result.output).not.toContain(value);
            expect(existsSync(path.join(dataDir, "postgres", "planted"))).toBe(false);
          }
        }
        // Out here nothing changed.
        expect(readFileSync(path.join(dataDir, "auth-secret"), "utf8")).toBe(`${secrets[0]}\n`);
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("sees its own worktree and repository, not other tasks', projects' or runs' files", async () => {
    // DATA_DIR and the temp dir side by side, as on a server: both hold other tenants' files.
    const root = mkdtempSync(path.join(os.tmpdir(), "trellis-sandbox-tenants-"));
    const [dataDir, tmpDir] = [path.join(root, "data"), path.join(root, "tmp")];
    mkdirSync(tmpDir);
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8" }).trim();
    const secret = () => `secret-${randomBytes(12).toString("hex")}`;
    try {
      await withServerDirs({ DATA_DIR: dataDir, TMPDIR: tmpDir }, async () => {
        // Two projects' GitHub mirrors, a task worktree of each.
        const [mirrorA, mirrorB] = ["prj_a", "prj_b"].map((id) => {
          const mirror = path.join(dataDir, "github-mirrors", `${id}.git`);
          git(tmpDir, "clone", "-q", "--bare", makeGitRepo(), mirror);
          return mirror;
        }) as [string, string];
        const [worktreeA, worktreeB] = [
          path.join(dataDir, "worktrees", "tsk_a"),
          path.join(dataDir, "worktrees", "tsk_b"),
        ];
        git(mirrorA, "worktree", "add", "-q", "-b", "task-a", worktreeA, "main");
        git(mirrorB, "worktree", "add", "-q", "-b", "task-b", worktreeB, "main");
        const secrets = { worktreeB: secret(), mirrorB: secret(), otherRun: secret() };
        writeFileSync(path.join(worktreeB, "notes.txt"), secrets.worktreeB);
        writeFileSync(path.join(mirrorB, "description"), secrets.mirrorB);
        // Another run's HOME in the temp dir, with a token in it.
        const otherHome = path.join(tmpDir, "trellis-run-other", "home");
        mkdirSync(otherHome, { recursive: true });
        writeFileSync(path.join(otherHome, ".npmrc"), `//registry/:_authToken=${secrets.otherRun}`);

        const look = [
          `ls -a .. "${dataDir}/worktrees" "${dataDir}/github-mirrors" "${tmpDir}"`,
          `cat ../tsk_b/notes.txt "${worktreeB}/notes.txt" "${mirrorB}/description" "${otherHome}/.npmrc"`,
          `echo planted > "${worktreeB}/planted"`,
        ].join("; ");
        const outside = await unconfined(look, worktreeA);
        for (const value of Object.values(secrets)) expect(outside).toContain(value);
        expect(outside).toMatch(/^tsk_b$/m);
        rmSync(path.join(worktreeB, "planted"));

        const mode = await processIsolation();
        const result = await runSandboxed({
          cwd: worktreeA,
          command: [
            look,
            `echo scratch > "$TMPDIR/scratch" && echo cache > "$HOME/.cache" && echo temp-ok`,
            "echo change > change.txt && git add change.txt && git commit -q -m 'From the sandbox' && echo committed",
          ].join("; "),
        });
        expect(result.processIsolation).toBe(mode);
        expect(result.output).toContain("temp-ok");
        expect(result.output).toContain("committed");
        // The commit is on task A's branch out here, in project A's mirror.
        expect(git(mirrorA, "log", "-1", "--format=%s", "task-a")).toBe("From the sandbox");
        expect(git(worktreeA, "status", "--porcelain")).toBe("");
        if (mode === "pid-namespace") {
          for (const value of Object.values(secrets)) expect(result.output).not.toContain(value);
          expect(result.output).not.toMatch(/^(tsk_b|prj_b\.git|trellis-run-other)$/m);
          expect(result.output).toMatch(/^tsk_a$/m);
          expect(existsSync(path.join(worktreeB, "planted"))).toBe(false);
        }
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("ends processes that left the command's process group when the command ends", async () => {
    const marker = sleepMarker();
    const go = path.join(dir, "go-escapee");
    let before: unknown[] = [];
    const result = await runSandboxed({
      cwd: dir,
      // setsid: a new session and process group, out of reach of a process-group kill.
      command: `setsid sleep ${marker} >/dev/null 2>&1 & echo started; while [ ! -f "${go}" ]; do sleep 0.02; done`,
      timeoutMs: 10_000,
      onOutput: (event) => {
        if (event.text !== "started\n") return;
        void poll(() => sleeping(marker).length > 0).then(() => {
          before = sleeping(marker);
          writeFileSync(go, "");
        });
      },
    });
    expect(result.exitCode).toBe(0);
    expect(before).toHaveLength(1);
    if (result.processIsolation === "pid-namespace") {
      expect(running(marker)).toEqual([]);
    } else {
      for (const { pid } of running(marker)) process.kill(pid, "SIGKILL");
    }
  });
});
