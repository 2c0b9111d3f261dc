/**
 * The guardian's watch over one run, as plain logic (the orchestrator acts on its verdicts and
 * records them; see lib/execution/run-task.ts). It looks for two ways a run gets stuck:
 * - the same tool call, with the same input, K times in a row: the first time the agent is
 *   nudged (the call is not run; the model is told to change course), the second time the run is
 *   stopped and handed to a person;
 * - no progress (no output, tool call or model call) for N minutes: first a restart of the
 *   agent, then escalation to a person.
 * A silent worker (no heartbeat) is the sweeper's case (lib/tasks/requeue-stale-tasks.ts), and
 * an exhausted budget pauses the spec (lib/specs/pause-spec-execution.ts).
 */
export interface GuardianLimits {
  /** Identical consecutive tool calls that count as a loop. */
  repeatLimit: number;
  /** Time without any sign of progress that counts as stuck. */
  noProgressMs: number;
}

export const DEFAULT_GUARDIAN_LIMITS: Readonly<GuardianLimits> = {
  repeatLimit: 3,
  noProgressMs: 10 * 60_000,
};

export type GuardianVerdict =
  /** Tell the agent to change course; `message` goes to the model. */
  | { action: "NUDGE"; reason: string; message: string }
  /** Stop this attempt of the agent and start it again. */
  | { action: "RESTART"; reason: string }
  /** Stop the run and hand the task to a person. */
  | { action: "ESCALATE"; reason: string };

export interface RunGuardian {
  /** Called before each tool call runs; a verdict means the call must not run. */
  toolCall(name: string, input: unknown): GuardianVerdict | null;
  /** Any sign of life: a log line, a model response, a finished tool call. */
  progress(): void;
  /** Called periodically: a verdict when the run has made no progress for too long. */
  check(): GuardianVerdict | null;
}

export function createRunGuardian(
  limits: Partial<GuardianLimits> = {},
  now: () => number = Date.now,
): RunGuardian {
  const { repeatLimit, noProgressMs } = { ...DEFAULT_GUARDIAN_LIMITS, ...limits };
  let lastCall: string | undefined;
  let repeats = 0;
  let nudged = false;
  let lastProgress = now();
  let restarted = false;

  return {
    toolCall(name, input) {
      lastProgress = now();
      const signature = `${name}(${stableJson(input)})`;
      repeats = signature === lastCall ? repeats + 1 : 1;
      lastCall = signature;
      if (repeats < repeatLimit) return null;
      repeats = 0;
      const shown = signature.length > 200 ? `${signature.slice(0, 200)}…` : signature;
      if (!nudged) {
        nudged = true;
        return {
          action: "NUDGE",
          reason: `Repeated the same tool call ${repeatLimit} times in a row: ${shown}`,
          message: `You have made the same ${name} call ${repeatLimit} times in a row with the same input; it will not give a different result. The call was not run. Change your approach, or call finish if the task is done.`,
        };
      }
      return {
        action: "ESCALATE",
        reason: `Stopped: repeated the same tool call ${repeatLimit} times in a row again after a nudge: ${shown}`,
      };
    },
    progress() {
      lastProgress = now();
    },
    check() {
      const silentMs = now() - lastProgress;
      if (silentMs < noProgressMs) return null;
      lastProgress = now();
      const minutes = formatMinutes(silentMs);
      if (!restarted) {
        restarted = true;
        return { action: "RESTART", reason: `No output, tool call or model call for ${minutes}` };
      }
      return {
        action: "ESCALATE",
        reason: `Stopped: no progress for ${minutes} again after a restart`,
      };
    },
  };
}

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes >= 1) return `${Math.round(minutes)} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** JSON with object keys sorted, so the same input always gives the same signature. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
