import { describe, expect, it } from "vitest";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import {
  boardStatuses,
  manualMoveTargets,
  planManualMove,
  refusedMoveMessage,
} from "./manual-move";
import { nextTaskStatus } from "./task-state";

describe("planManualMove", () => {
  it("allows exactly retry, mark done and cancel", () => {
    expect(planManualMove("FAILED", "QUEUED")).toEqual({ ok: true, event: "retry" });
    expect(planManualMove("NEEDS_ATTENTION", "QUEUED")).toEqual({ ok: true, event: "retry" });
    expect(planManualMove("NEEDS_ATTENTION", "DONE")).toEqual({ ok: true, event: "resolve" });
    for (const from of ["PENDING", "QUEUED", "RUNNING", "VERIFYING", "NEEDS_ATTENTION"] as const) {
      expect(planManualMove(from, "CANCELLED")).toEqual({ ok: true, event: "cancel" });
    }
  });

  it("agrees with the task state machine for every pair of columns", () => {
    for (const from of boardStatuses) {
      for (const to of boardStatuses) {
        const plan = planManualMove(from, to);
        if (plan.ok) expect(nextTaskStatus(from, { type: plan.event })).toBe(to);
        else expect(plan.reason.length).toBeGreaterThan(10);
      }
    }
    const allowed = boardStatuses.flatMap((from) =>
      manualMoveTargets(from).map((t) => `${from}->${t.to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        "FAILED->QUEUED",
        "NEEDS_ATTENTION->QUEUED",
        "NEEDS_ATTENTION->DONE",
        "PENDING->CANCELLED",
        "QUEUED->CANCELLED",
        "RUNNING->CANCELLED",
        "VERIFYING->CANCELLED",
        "NEEDS_ATTENTION->CANCELLED",
      ].sort(),
    );
  });

  it("refuses a pending task dragged to done, and says why", () => {
    const plan = planManualMove("PENDING", "DONE");
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(refusedMoveMessage({ key: "1.2", title: "Add CSV" }, "DONE", plan.reason)).toBe(
      "Cannot move “Add CSV” (task 1.2) to Done: a pending task is marked done when its verification passes; only a task that needs attention can be marked done by hand.",
    );
  });

  it("names the reason that fits the target", () => {
    const reason = (from: TaskStatus, to: TaskStatus) => {
      const plan = planManualMove(from, to);
      return plan.ok ? null : plan.reason;
    };
    expect(reason("QUEUED", "RUNNING")).toMatch(/only an agent starts/);
    expect(reason("PENDING", "QUEUED")).toMatch(/queued by itself once its dependencies are done/);
    expect(reason("RUNNING", "QUEUED")).toMatch(/only failed tasks/);
    expect(reason("DONE", "QUEUED")).toMatch(/done tasks are finished/);
    expect(reason("CANCELLED", "QUEUED")).toMatch(/cancelled tasks stay cancelled/);
    expect(reason("FAILED", "CANCELLED")).toMatch(/already ended/);
    expect(reason("RUNNING", "FAILED")).toMatch(/move it to Cancelled/);
    expect(reason("QUEUED", "QUEUED")).toBe("the task is already queued");
  });
});
