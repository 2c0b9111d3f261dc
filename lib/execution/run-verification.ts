import "server-only";
import { runSandboxed } from "@/lib/workspaces/run-sandboxed";

export interface VerificationCommands {
  setupCommand: string | null;
  testCommand: string | null;
  lintCommand: string | null;
}

/** One command's result, for the record (a Verification row, or a runner's report). */
export interface VerificationStep {
  kind: string;
  command: string;
  exitCode: number | null;
  passed: boolean;
  output: string;
  durationMs: number;
}

export interface VerificationVerdict {
  passed: boolean;
  /** What failed, with the tail of its output, for the agent's next try. */
  feedback: string | null;
}

const perCommandTimeoutMs = 10 * 60_000;
const feedbackTailChars = 4000;

/**
 * Runs the project's setup, test and lint commands in the task's worktree (sandboxed:
 * clean environment, no network where the OS allows, time limit, output cap), hands each
 * result to `onStep` to be recorded, and stops at the first failure.
 */
export async function runVerification(options: {
  worktree: string;
  commands: VerificationCommands;
  signal?: AbortSignal;
  log: (stream: "STDOUT" | "STDERR" | "SYSTEM", text: string) => void;
  onStep: (step: VerificationStep) => Promise<void>;
}): Promise<VerificationVerdict> {
  const steps = [
    { kind: "setup", command: options.commands.setupCommand },
    { kind: "test", command: options.commands.testCommand },
    { kind: "lint", command: options.commands.lintCommand },
  ].filter((s): s is { kind: string; command: string } => Boolean(s.command?.trim()));

  for (const step of steps) {
    options.log("SYSTEM", `$ ${step.command}  (${step.kind})`);
    const result = await runSandboxed({
      cwd: options.worktree,
      command: step.command,
      timeoutMs: perCommandTimeoutMs,
      signal: options.signal,
      onOutput: (event) => options.log(event.stream === "stderr" ? "STDERR" : "STDOUT", event.text),
    });
    const passed = result.exitCode === 0 && !result.timedOut && !result.cancelled;
    await options.onStep({
      kind: step.kind,
      command: step.command,
      exitCode: result.exitCode,
      passed,
      output: result.output,
      durationMs: Math.round(result.durationMs),
    });
    if (!passed) {
      const why = result.timedOut
        ? `timed out after ${perCommandTimeoutMs / 60_000} minutes`
        : result.cancelled
          ? "was cancelled"
          : `exited with ${result.exitCode ?? result.signal}`;
      return {
        passed: false,
        feedback: `The ${step.kind} command \`${step.command}\` ${why}. Its output ends with:\n${result.output.slice(-feedbackTailChars)}`,
      };
    }
  }
  return { passed: true, feedback: null };
}
