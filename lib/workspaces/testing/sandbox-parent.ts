// A process that starts one sandboxed command and then waits, so a test can kill it with
// SIGKILL and check what happens to the command. Args: <cwd> <timeoutMs> <command>.
import { runSandboxed } from "@/lib/workspaces/run-sandboxed";

const [cwd, timeoutMs, command] = process.argv.slice(2);
if (!cwd || !timeoutMs || !command) {
  process.stderr.write("usage: sandbox-parent.ts <cwd> <timeoutMs> <command>\n");
  process.exit(2);
}
await runSandboxed({ cwd, command, timeoutMs: Number(timeoutMs), killGraceMs: 500 });
