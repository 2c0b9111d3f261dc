import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import type { SpecState } from "@/lib/generated/prisma/enums";
import { nextSpecState, type SpecEvent } from "./state-machine";

function run(events: SpecEvent[], from: SpecState = "DRAFT"): SpecState {
  return events.reduce((state, event) => nextSpecState(state, event), from);
}

describe("spec state machine", () => {
  it("walks requirements, design and tasks through review to execution", () => {
    expect(
      run([
        { type: "start" },
        { type: "phaseSucceeded", phase: "REQUIREMENTS" },
        { type: "approve", phase: "REQUIREMENTS" },
        { type: "phaseSucceeded", phase: "DESIGN" },
        { type: "approve", phase: "DESIGN" },
        { type: "phaseSucceeded", phase: "TASKS" },
        { type: "approve", phase: "TASKS" },
      ]),
    ).toBe("EXECUTING");
  });

  it("sends a phase back to running on request changes", () => {
    expect(run([{ type: "requestChanges", phase: "DESIGN" }], "DESIGN_REVIEW")).toBe(
      "DESIGN_RUNNING",
    );
  });

  it("fails a running phase and retries it", () => {
    const failed = run([{ type: "phaseFailed", phase: "TASKS" }], "TASKS_RUNNING");
    expect(failed).toBe("FAILED");
    expect(nextSpecState(failed, { type: "retry", phase: "TASKS" })).toBe("TASKS_RUNNING");
  });

  it("refuses an approval of a phase that is not in review, naming the current state", () => {
    const attempt = () =>
      nextSpecState("REQUIREMENTS_RUNNING", { type: "approve", phase: "REQUIREMENTS" });
    expect(attempt).toThrowError(AppError);
    expect(attempt).toThrowError("Cannot approve requirements: the spec is requirements running.");
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).status).toBe(409);
      expect((error as AppError).details).toEqual({ currentState: "REQUIREMENTS_RUNNING" });
    }
  });

  it("refuses approving the wrong phase and cancelling twice", () => {
    expect(() => nextSpecState("DESIGN_REVIEW", { type: "approve", phase: "TASKS" })).toThrowError(
      /design review/,
    );
    expect(() => nextSpecState("CANCELLED", { type: "cancel" })).toThrowError(/cancelled/);
  });
});
