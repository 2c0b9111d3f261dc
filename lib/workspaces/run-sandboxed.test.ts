import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { networkIsolation, type OutputEvent, runSandboxed } from "./run-sandboxed";

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
      process.env[name] = `leaked-${name}`;
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
    const pidFile = path.join(dir, "timeout.pid");
    const result = await runSandboxed({
      cwd: dir,
      command: `sleep 30 & echo $! > "${pidFile}"; sleep 30`,
      timeoutMs: 300,
      killGraceMs: 1_000,
    });
    expect(result.timedOut).toBe(true);
    expect(result.cancelled).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe("SIGTERM");
    expect(result.durationMs).toBeLessThan(300 + 1_000 + 1_000);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(grandchild).toBeGreaterThan(0);
    expect(isAlive(grandchild)).toBe(false);
  });

  it("still ends the command when the process that started it is killed with SIGKILL", async () => {
    const pidFile = path.join(dir, "orphan.pid");
    const parent = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./testing/sandbox-parent.ts", import.meta.url)),
        dir,
        "500",
        `echo $$ > "${pidFile}"; exec sleep 60`,
      ],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)), stdio: "ignore" },
    );
    const pid = await poll(() => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : 0));
    parent.kill("SIGKILL");
    expect(isAlive(pid)).toBe(true); // orphaned, with nobody left to enforce the 500 ms limit
    // The `timeout` backstop: limit + grace rounded up, plus 5 s.
    await poll(() => !isAlive(pid), 15_000);
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
    const pidFile = path.join(dir, "cancel.pid");
    const result = await runSandboxed({
      cwd: dir,
      command: `sleep 30 & echo $! > "${pidFile}"; echo started; wait`,
      signal: controller.signal,
      onOutput: (event) => {
        if (event.text === "started\n") controller.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
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
