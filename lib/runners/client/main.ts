// trellis-runner: a self-hosted runner. Registers by its token, long-polls the server for tasks
// of projects pinned to its labels, and runs them here (see run-assignment.ts). Started through
// bin/trellis-runner.mjs:
//   npx trellis-runner --url https://trellis.example.com --token trr_… [--workdir DIR]
// Stops on SIGINT/SIGTERM; a task it was running goes back to the queue once its lease lapses.
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { env } from "@/lib/env";
import { networkIsolation, processIsolation } from "@/lib/workspaces/run-sandboxed";
import { runAssignment } from "./run-assignment";
import { RunnerApi } from "./runner-api";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string" },
    workdir: { type: "string" },
    "lease-ms": { type: "string", default: "90000" },
    "wait-ms": { type: "string", default: "25000" },
  },
});
const url = values.url ?? process.env.TRELLIS_URL;
const token = values.token ?? process.env.TRELLIS_RUNNER_TOKEN;
if (!url || !token) {
  process.stderr.write(
    "usage: trellis-runner --url <server url> --token <runner token> [--workdir DIR]\n" +
      "(or TRELLIS_URL and TRELLIS_RUNNER_TOKEN in the environment)\n",
  );
  process.exit(2);
}
const workdir = path.resolve(values.workdir ?? path.join(os.homedir(), ".trellis-runner"));
const leaseMs = Number(values["lease-ms"]);
const waitMs = Number(values["wait-ms"]);
// This machine's own key runs the Claude agent; the server names the agent from it at each claim.
const claude = Boolean(env().ANTHROPIC_API_KEY);

const say = (message: string) =>
  process.stdout.write(`${new Date().toISOString()} trellis-runner ${message}\n`);
const api = new RunnerApi(url, token);
const shutdown = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    say(`${signal}: stopping`);
    shutdown.abort();
  });
}

say(
  `polling ${url} (workdir ${workdir}; Claude agent ${claude ? "on" : "off: no ANTHROPIC_API_KEY"})`,
);
say(`sandbox: network ${await networkIsolation()}, processes ${await processIsolation()}`);
while (!shutdown.signal.aborted) {
  try {
    const assignment = await api.claim({ waitMs, leaseMs, claude }, shutdown.signal);
    if (!assignment) continue;
    // Claimed as we were told to stop: leave it; its lease lapses and another runner takes it.
    if (shutdown.signal.aborted) break;
    say(`task ${assignment.task.key} (${assignment.task.id}), attempt ${assignment.task.attempt}`);
    const outcome = await runAssignment({
      api,
      assignment,
      workdir,
      signal: shutdown.signal,
      log: say,
    });
    say(`task ${assignment.task.key}: ${outcome}`);
  } catch (error) {
    if (shutdown.signal.aborted) break;
    say(`error: ${error instanceof Error ? error.message : String(error)}; retrying in 5 s`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
}
process.exit(0);
