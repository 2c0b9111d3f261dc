// npm run bench [-- --runs 3 --sample-ms 3000]
// Startup and memory of `npm start` on an already-built app with an existing data directory:
// time from spawning the launcher to the first 200 from /api/health, peak RSS of the web and
// worker process trees shortly after, and whether Ctrl-C (SIGINT) leaves anything behind.
// Prints figures and ratios to targets; never asserts, always exits 0.
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findFreePort } from "@/lib/db/embedded-postgres";
import { env } from "@/lib/env";
import { httpStatus, needsBuild } from "@/scripts/start";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const STARTUP_TARGET_MS = 5_000;
const HEALTH_POLL_MS = 50;
const RSS_SAMPLE_MS = 100;
const GIVE_UP_MS = 120_000;

interface RunResult {
  startupMs: number;
  webPeakMb: number;
  workerPeakMb: number;
  launcherPeakMb: number;
  stopMs: number;
  leftovers: string[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      "sample-ms": { type: "string", default: "3000" },
    },
  });
  const runs = Math.max(1, Number.parseInt(values.runs ?? "3", 10) || 3);
  const sampleMs = Math.max(0, Number.parseInt(values["sample-ms"] ?? "3000", 10) || 0);
  const config = env();
  const dataDir = path.resolve(config.DATA_DIR);
  const postgresDir = path.join(dataDir, "postgres");

  await prepare(config.DATABASE_URL ? undefined : postgresDir);

  const port = await findFreePort(); // never measure some other server that owns PORT
  console.log(
    `bench/startup: ${runs} run(s), port ${port}, ` +
      (config.DATABASE_URL ? "DATABASE_URL" : `data ${path.relative(ROOT, dataDir) || dataDir}`),
  );
  const results: RunResult[] = [];
  for (let i = 1; i <= runs; i++) {
    try {
      const result = await measureOnce(port, sampleMs, postgresDir);
      results.push(result);
      console.log(
        `run ${i}/${runs}: startup_to_healthy_ms ${Math.round(result.startupMs)}  ` +
          `web_peak_rss_mb ${result.webPeakMb.toFixed(1)}  ` +
          `worker_peak_rss_mb ${result.workerPeakMb.toFixed(1)}  ` +
          `launcher_peak_rss_mb ${result.launcherPeakMb.toFixed(1)}  ` +
          `stop_ms ${Math.round(result.stopMs)}  leftover_processes ${result.leftovers.length}`,
      );
      for (const leftover of result.leftovers) console.log(`  left behind: ${leftover}`);
    } catch (error) {
      console.log(`run ${i}/${runs}: failed — ${error instanceof Error ? error.message : error}`);
    }
  }
  if (results.length === 0) return;

  const med = (pick: (r: RunResult) => number) => median(results.map(pick));
  const startup = med((r) => r.startupMs);
  console.log(`median of ${results.length} run(s):`);
  console.log(
    `startup_to_healthy_ms ${Math.round(startup)} (target ${STARTUP_TARGET_MS}, ratio ${(startup / STARTUP_TARGET_MS).toFixed(2)})`,
  );
  console.log(`web_peak_rss_mb ${med((r) => r.webPeakMb).toFixed(1)}`);
  console.log(`worker_peak_rss_mb ${med((r) => r.workerPeakMb).toFixed(1)}`);
  console.log(`launcher_peak_rss_mb ${med((r) => r.launcherPeakMb).toFixed(1)} (tsx + launcher)`);
  console.log(`stop_ms ${Math.round(med((r) => r.stopMs))}`);
  const leftover = Math.max(...results.map((r) => r.leftovers.length));
  console.log(`leftover_processes_after_sigint ${leftover} (target 0)`);
}

/** Build and initialise first if needed, so the runs measure a warm start. */
async function prepare(postgresDir: string | undefined): Promise<void> {
  const stale = await needsBuild(ROOT);
  if (stale) {
    console.log(`preparing (not measured): ${stale}; running next build`);
    await run(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"]);
  }
  if (postgresDir && !(await exists(path.join(postgresDir, "PG_VERSION")))) {
    console.log("preparing (not measured): no data directory yet; initialising it with db:migrate");
    await run(TSX, ["scripts/migrate.ts"]);
  }
}

async function measureOnce(
  port: number,
  sampleMs: number,
  postgresDir: string,
): Promise<RunResult> {
  const started = performance.now();
  // Exactly what `npm start` runs, without npm's own process in front.
  const launcher = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    // The launcher gets this environment with our port and no TTY, as in CI.
    env: { ...process.env, PORT: String(port), CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  launcher.stdout?.on("data", keep);
  launcher.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => launcher.once("exit", () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  try {
    while ((await httpStatus(`http://127.0.0.1:${port}/api/health`, 2_000)) !== 200) {
      if (hasExited) throw new Error(`launcher exited before healthy:\n${tail(output)}`);
      if (performance.now() - started > GIVE_UP_MS)
        throw new Error(`not healthy after ${GIVE_UP_MS} ms`);
      await sleep(HEALTH_POLL_MS);
    }
  } catch (error) {
    await stopLauncher(launcher, exited);
    throw error;
  }
  const startupMs = performance.now() - started;

  const peaks = { web: 0, worker: 0, launcher: 0 };
  const groups = new Set<number>();
  const sampleUntil = performance.now() + sampleMs;
  do {
    const trees = await processTrees(launcher.pid ?? -1);
    peaks.web = Math.max(peaks.web, trees.web.rssKb / 1024);
    peaks.worker = Math.max(peaks.worker, trees.worker.rssKb / 1024);
    peaks.launcher = Math.max(peaks.launcher, trees.launcher.rssKb / 1024);
    for (const leader of [trees.web.leader, trees.worker.leader]) if (leader) groups.add(leader);
    await sleep(RSS_SAMPLE_MS);
  } while (performance.now() < sampleUntil);

  const stopStarted = performance.now();
  await stopLauncher(launcher, exited);
  const stopMs = performance.now() - stopStarted;
  await sleep(200); // let the kernel reap what just exited before looking for leftovers

  return {
    startupMs,
    webPeakMb: peaks.web,
    workerPeakMb: peaks.worker,
    launcherPeakMb: peaks.launcher,
    stopMs,
    leftovers: await leftovers(postgresDir, groups),
  };
}

async function stopLauncher(launcher: ChildProcess, exited: Promise<void>): Promise<void> {
  launcher.kill("SIGINT"); // what Ctrl-C or `kill -INT` does
  const timer = setTimeout(() => launcher.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

// ─── /proc ───────────────────────────────────────────────────────────────────

interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

interface Tree {
  leader: number | undefined;
  rssKb: number;
}

async function listProcesses(): Promise<ProcessEntry[]> {
  const names = await readdir("/proc");
  const entries = await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          const text = await readFile(`/proc/${name}/stat`, "utf8");
          // After the ")" closing the command name: state ppid pgrp ...
          const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
          return {
            pid: Number(name),
            ppid: Number(fields[1]),
            pgid: Number(fields[2]),
          };
        } catch {
          return undefined; // exited while we looked
        }
      }),
  );
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined);
}

async function rssKb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

async function commandLine(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).replaceAll("\0", " ");
}

/**
 * The launcher's descendants split into trees: the launcher runs web, worker and Postgres
 * each as the leader of its own process group; a tree is a leader plus everything in its
 * group or below it.
 */
async function processTrees(
  launcherPid: number,
): Promise<{ web: Tree; worker: Tree; launcher: Tree }> {
  const all = await listProcesses();
  const childrenOf = new Map<number, ProcessEntry[]>();
  for (const entry of all) {
    const list = childrenOf.get(entry.ppid) ?? [];
    list.push(entry);
    childrenOf.set(entry.ppid, list);
  }
  const below = (pid: number): ProcessEntry[] => {
    const out: ProcessEntry[] = [];
    const stack = [...(childrenOf.get(pid) ?? [])];
    while (stack.length) {
      const entry = stack.pop()!;
      out.push(entry);
      stack.push(...(childrenOf.get(entry.pid) ?? []));
    }
    return out;
  };

  const descendants = below(launcherPid);
  const leaders = descendants.filter((entry) => entry.pgid === entry.pid);
  const kinds = await Promise.all(
    leaders.map(async (entry) => {
      const cmd = await commandLine(entry.pid);
      if (cmd.includes("worker/main.ts")) return "worker";
      if (/\/bin\/postgres\b/.test(cmd)) return "postgres";
      return "web"; // next-server renames itself, so it is "the other one"
    }),
  );
  const treeOf = async (kind: string): Promise<Tree> => {
    const leader = leaders.find((_, i) => kinds[i] === kind);
    if (!leader) return { leader: undefined, rssKb: 0 };
    const members = new Map<number, ProcessEntry>([[leader.pid, leader]]);
    for (const entry of below(leader.pid)) members.set(entry.pid, entry);
    for (const entry of all) if (entry.pgid === leader.pid) members.set(entry.pid, entry);
    const sizes = await Promise.all([...members.keys()].map(rssKb));
    return { leader: leader.pid, rssKb: sizes.reduce((a, b) => a + b, 0) };
  };
  const inTrees = new Set<number>();
  for (const leader of leaders) {
    inTrees.add(leader.pid);
    for (const entry of below(leader.pid)) inTrees.add(entry.pid);
  }
  // The launcher itself: the tsx CLI and the node process it runs (not its children's trees).
  const own = [launcherPid, ...descendants.map((e) => e.pid).filter((pid) => !inTrees.has(pid))];
  const ownSizes = await Promise.all(own.map(rssKb));
  return {
    web: await treeOf("web"),
    worker: await treeOf("worker"),
    launcher: { leader: launcherPid, rssKb: ownSizes.reduce((a, b) => a + b, 0) },
  };
}

/** Postgres serving our data directory, and anything still in the web/worker groups. */
async function leftovers(postgresDir: string, groups: Set<number>): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await listProcesses()) {
    const cmd = await commandLine(entry.pid);
    const ourPostgres = /\/bin\/postgres\b/.test(cmd) && cmd.includes(` -D ${postgresDir} `);
    if (ourPostgres || groups.has(entry.pgid)) found.push(`pid ${entry.pid}: ${cmd.trim()}`);
  }
  return found;
}

// ─── helpers ─────────────────────────────────────────────────────────────────

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}`)),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function tail(chunks: string[]): string {
  return chunks.join("").trim().split("\n").slice(-20).join("\n");
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main()
  .catch((error: unknown) => {
    console.log(`bench/startup could not run: ${error instanceof Error ? error.message : error}`);
  })
  .finally(() => {
    process.exitCode = 0;
  });
