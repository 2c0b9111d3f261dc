import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import type { SpecState } from "@/lib/generated/prisma/enums";
import { importStartPhase, nextSpecState, type SpecEvent } from "./state-machine";

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

describe("importing Markdown into a spec", () => {
  it("starts at the requirements of a draft spec, or at the phase in review", () => {
    expect(importStartPhase("DRAFT")).toBe("REQUIREMENTS");
    expect(importStartPhase("DESIGN_REVIEW")).toBe("DESIGN");
    expect(importStartPhase("DESIGN_RUNNING")).toBeNull();
    expect(importStartPhase("EXECUTING")).toBeNull();
    expect(importStartPhase("FAILED")).toBeNull();
  });

  it("leaves the spec in review of the last phase imported", () => {
    expect(
      nextSpecState("DRAFT", { type: "import", phase: "REQUIREMENTS", through: "TASKS" }),
    ).toBe("TASKS_REVIEW");
    expect(
      nextSpecState("REQUIREMENTS_REVIEW", {
        type: "import",
        phase: "REQUIREMENTS",
        through: "REQUIREMENTS",
      }),
    ).toBe("REQUIREMENTS_REVIEW");
    expect(
      nextSpecState("DESIGN_REVIEW", { type: "import", phase: "DESIGN", through: "TASKS" }),
    ).toBe("TASKS_REVIEW");
  });

  it("refuses an import that skips the phase in review or goes backwards", () => {
    expect(() =>
      nextSpecState("DESIGN_REVIEW", { type: "import", phase: "REQUIREMENTS", through: "TASKS" }),
    ).toThrowError("Cannot import requirements: the spec is design review.");
    expect(() =>
      nextSpecState("TASKS_REVIEW", { type: "import", phase: "TASKS", through: "DESIGN" }),
    ).toThrowError(AppError);
    expect(() =>
      nextSpecState("TASKS_RUNNING", { type: "import", phase: "TASKS", through: "TASKS" }),
    ).toThrowError(/tasks running/);
  });

  it("finishes execution only from executing", () => {
    expect(nextSpecState("EXECUTING", { type: "executionFinished" })).toBe("DONE");
    expect(() => nextSpecState("TASKS_REVIEW", { type: "executionFinished" })).toThrowError(
      /tasks review/,
    );
  });
});
