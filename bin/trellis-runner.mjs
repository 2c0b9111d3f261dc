#!/usr/bin/env node
// `npx trellis-runner --url … --token …`: runs lib/runners/client/main.ts with the same loader
// and conditions as the worker (TypeScript through tsx; server-only modules allowed).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../lib/runners/client/main.ts", import.meta.url));
const child = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", "tsx", main, ...process.argv.slice(2)],
  { stdio: "inherit", cwd: fileURLToPath(new URL("..", import.meta.url)) },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
