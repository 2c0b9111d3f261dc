import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/app-error";
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import { nextTaskStatus, type TaskEvent, taskEventsFrom } from "./task-state";

const statuses: TaskStatus[] = [
  "PENDING",
  "QUEUED",
  "RUNNING",
  "VERIFYING",
  "NEEDS_ATTENTION",
  "DONE",
  "FAILED",
  "CANCELLED",
];

function run(events: TaskEvent["type"][], from: TaskStatus = "PENDING"): TaskStatus {
  return events.reduce((status, type) => nextTaskStatus(status, { type }), from);
}

describe("task state machine", () => {
  it("runs a task from pending through verification to done", () => {
    expect(run(["queue", "claim", "verify", "complete"])).toBe("DONE");
    expect(run(["queue", "claim", "complete"])).toBe("DONE");
  });

  it("sends a held task back to the queue, to failed or to a person", () => {
    expect(run(["requeue"], "RUNNING")).toBe("QUEUED");
    expect(run(["requeue"], "VERIFYING")).toBe("QUEUED");
    expect(run(["fail"], "VERIFYING")).toBe("FAILED");
    expect(run(["needAttention"], "RUNNING")).toBe("NEEDS_ATTENTION");
  });

  it("lets a person retry a failed task or one that needs attention, or finish it by hand", () => {
    expect(run(["retry"], "FAILED")).toBe("QUEUED");
    expect(run(["retry"], "NEEDS_ATTENTION")).toBe("QUEUED");
    expect(run(["resolve"], "NEEDS_ATTENTION")).toBe("DONE");
    expect(() => run(["resolve"], "FAILED")).toThrowError(AppError);
  });

  it("pauses queued and held tasks back to pending (spec budget), and nothing else", () => {
    for (const status of statuses) {
      if (["QUEUED", "RUNNING", "VERIFYING"].includes(status))
        expect(run(["pause"], status)).toBe("PENDING");
      else expect(() => run(["pause"], status)).toThrowError(AppError);
    }
  });

  it("cancels any task that has not ended, and nothing that has", () => {
    for (const status of statuses) {
      const ended = status === "DONE" || status === "FAILED" || status === "CANCELLED";
      if (ended) expect(() => run(["cancel"], status)).toThrowError(AppError);
      else expect(run(["cancel"], status)).toBe("CANCELLED");
    }
  });

  it("only a queued task can be claimed, and only a pending one queued", () => {
    for (const status of statuses) {
      if (status !== "QUEUED") expect(() => run(["claim"], status)).toThrowError(AppError);
      if (status !== "PENDING") expect(() => run(["queue"], status)).toThrowError(AppError);
    }
  });

  it("refuses a stale action with a CONFLICT that names the current status", () => {
    const attempt = () => nextTaskStatus("NEEDS_ATTENTION", { type: "complete" });
    expect(attempt).toThrowError("Cannot complete the task: the task is needs attention.");
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).code).toBe("CONFLICT");
      expect((error as AppError).status).toBe(409);
      expect((error as AppError).details).toEqual({ currentStatus: "NEEDS_ATTENTION" });
    }
  });

  it("lists the moves the board may offer from each status", () => {
    expect(taskEventsFrom("PENDING")).toEqual(["queue", "cancel"]);
    expect(taskEventsFrom("RUNNING")).toEqual([
      "verify",
      "complete",
      "requeue",
      "fail",
      "needAttention",
      "pause",
      "cancel",
    ]);
    expect(taskEventsFrom("NEEDS_ATTENTION")).toEqual(["retry", "resolve", "cancel"]);
    expect(taskEventsFrom("DONE")).toEqual([]);
    expect(taskEventsFrom("CANCELLED")).toEqual([]);
  });
});
