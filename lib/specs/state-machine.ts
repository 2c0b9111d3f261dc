import { AppError } from "@/lib/api/app-error";
import type { SpecPhase, SpecState } from "@/lib/generated/prisma/enums";

/** Everything that moves a spec: people (start, approve, request changes, cancel, retry) and the phases. */
export type SpecEvent =
  | { type: "start" }
  | { type: "phaseSucceeded"; phase: SpecPhase }
  | { type: "phaseFailed"; phase: SpecPhase }
  | { type: "approve"; phase: SpecPhase }
  | { type: "requestChanges"; phase: SpecPhase }
  | { type: "retry"; phase: SpecPhase }
  /** Markdown imported for `phase` (see importStartPhase) through `through`; the spec waits in `through`'s review. */
  | { type: "import"; phase: SpecPhase; through: SpecPhase }
  | { type: "executionFinished" }
  | { type: "cancel" };

export const phaseOrder: readonly SpecPhase[] = ["REQUIREMENTS", "DESIGN", "TASKS"];

const runningState: Record<SpecPhase, SpecState> = {
  REQUIREMENTS: "REQUIREMENTS_RUNNING",
  DESIGN: "DESIGN_RUNNING",
  TASKS: "TASKS_RUNNING",
};
const reviewState: Record<SpecPhase, SpecState> = {
  REQUIREMENTS: "REQUIREMENTS_REVIEW",
  DESIGN: "DESIGN_REVIEW",
  TASKS: "TASKS_REVIEW",
};
const terminal: ReadonlySet<SpecState> = new Set(["DONE", "FAILED", "CANCELLED"]);

export function runningStateOf(phase: SpecPhase): SpecState {
  return runningState[phase];
}

export function reviewStateOf(phase: SpecPhase): SpecState {
  return reviewState[phase];
}

/** The phase after this one, or null after TASKS (execution follows). */
export function nextPhase(phase: SpecPhase): SpecPhase | null {
  return phaseOrder[phaseOrder.indexOf(phase) + 1] ?? null;
}

/**
 * The phase an import starts at: the requirements for a draft spec, else the
 * phase in review; null when nothing may be imported (a phase is running, or
 * the tasks were approved). Phases before it are approved and stay as they are.
 */
export function importStartPhase(state: SpecState): SpecPhase | null {
  if (state === "DRAFT") return "REQUIREMENTS";
  return phaseOrder.find((p) => reviewState[p] === state) ?? null;
}

/** The phase a state belongs to (running or in review), or null. */
export function phaseOfState(state: SpecState): SpecPhase | null {
  return phaseOrder.find((p) => runningState[p] === state || reviewState[p] === state) ?? null;
}

function transition(state: SpecState, event: SpecEvent): SpecState | null {
  switch (event.type) {
    case "start":
      return state === "DRAFT" ? runningState.REQUIREMENTS : null;
    case "phaseSucceeded":
      return state === runningState[event.phase] ? reviewState[event.phase] : null;
    case "phaseFailed":
      return state === runningState[event.phase] ? "FAILED" : null;
    case "approve": {
      if (state !== reviewState[event.phase]) return null;
      const next = nextPhase(event.phase);
      return next ? runningState[next] : "EXECUTING";
    }
    case "requestChanges":
      return state === reviewState[event.phase] ? runningState[event.phase] : null;
    case "retry":
      return state === "FAILED" ? runningState[event.phase] : null;
    case "import":
      if (importStartPhase(state) !== event.phase) return null;
      if (phaseOrder.indexOf(event.through) < phaseOrder.indexOf(event.phase)) return null;
      return reviewState[event.through];
    case "executionFinished":
      return state === "EXECUTING" || state === "VERIFYING" ? "DONE" : null;
    case "cancel":
      return terminal.has(state) ? null : "CANCELLED";
  }
}

const eventLabel: Record<SpecEvent["type"], string> = {
  start: "start the spec",
  phaseSucceeded: "finish the phase",
  phaseFailed: "fail the phase",
  approve: "approve",
  requestChanges: "request changes",
  retry: "retry",
  import: "import",
  executionFinished: "finish execution",
  cancel: "cancel",
};

function humanState(state: SpecState): string {
  return state.toLowerCase().replace(/_/g, " ");
}

/**
 * The state after `event`, or a CONFLICT that names the current state, so a
 * stale click ("approve" on a spec that already moved on) is refused clearly.
 */
export function nextSpecState(state: SpecState, event: SpecEvent): SpecState {
  const next = transition(state, event);
  if (!next) {
    const phase = "phase" in event ? ` ${event.phase.toLowerCase()}` : "";
    throw new AppError(
      "CONFLICT",
      `Cannot ${eventLabel[event.type]}${phase}: the spec is ${humanState(state)}.`,
      {
        currentState: state,
      },
    );
  }
  return next;
}
