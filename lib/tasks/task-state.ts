import { AppError } from "@/lib/api/app-error";
import type { TaskStatus } from "@/lib/generated/prisma/enums";

/**
 * Everything that moves a task. The scheduler and workers: queue (its
 * dependencies are done), claim, verify, complete, requeue (a retryable
 * failure, a lost worker or a timeout, with attempts left), fail, needAttention, pause (the
 * spec's budget ran out: back to waiting until a person resumes it).
 * People, from the board: retry, resolve (finished by hand), cancel.
 */
export type TaskEvent =
  | { type: "queue" }
  | { type: "claim" }
  | { type: "verify" }
  | { type: "complete" }
  | { type: "requeue" }
  | { type: "fail" }
  | { type: "needAttention" }
  | { type: "pause" }
  | { type: "retry" }
  | { type: "resolve" }
  | { type: "cancel" };

export type TaskEventType = TaskEvent["type"];

/** A worker holds the task: it counts against the organization's concurrent agents. */
export const activeTaskStatuses: readonly TaskStatus[] = ["RUNNING", "VERIFYING"];

/** Nothing runs these again on its own (a person may still retry a FAILED task). */
export const terminalTaskStatuses: readonly TaskStatus[] = ["DONE", "FAILED", "CANCELLED"];

const held = new Set<TaskStatus>(activeTaskStatuses);
const terminal = new Set<TaskStatus>(terminalTaskStatuses);

export function isActiveTaskStatus(status: TaskStatus): boolean {
  return held.has(status);
}

export function isTerminalTaskStatus(status: TaskStatus): boolean {
  return terminal.has(status);
}

function transition(status: TaskStatus, event: TaskEvent): TaskStatus | null {
  switch (event.type) {
    case "queue":
      return status === "PENDING" ? "QUEUED" : null;
    case "claim":
      return status === "QUEUED" ? "RUNNING" : null;
    case "verify":
      return status === "RUNNING" ? "VERIFYING" : null;
    case "complete":
      return held.has(status) ? "DONE" : null;
    case "requeue":
      return held.has(status) ? "QUEUED" : null;
    case "fail":
      return held.has(status) ? "FAILED" : null;
    case "needAttention":
      return held.has(status) ? "NEEDS_ATTENTION" : null;
    case "pause":
      return status === "QUEUED" || held.has(status) ? "PENDING" : null;
    case "retry":
      return status === "FAILED" || status === "NEEDS_ATTENTION" ? "QUEUED" : null;
    case "resolve":
      return status === "NEEDS_ATTENTION" ? "DONE" : null;
    case "cancel":
      return terminal.has(status) ? null : "CANCELLED";
  }
}

const eventLabel: Record<TaskEventType, string> = {
  queue: "queue the task",
  claim: "start the task",
  verify: "verify the task",
  complete: "complete the task",
  requeue: "requeue the task",
  fail: "fail the task",
  needAttention: "flag the task for attention",
  pause: "pause the task",
  retry: "retry the task",
  resolve: "mark the task done",
  cancel: "cancel the task",
};

const allEvents = Object.keys(eventLabel) as TaskEventType[];

/** The moves a person may make on the board (drag targets, menu items). */
export const manualTaskEvents: readonly TaskEventType[] = ["retry", "resolve", "cancel"];

export function humanTaskStatus(status: TaskStatus): string {
  return status.toLowerCase().replace(/_/g, " ");
}

/** True when `event` may move a task in `status`. */
export function canTransitionTask(status: TaskStatus, event: TaskEvent): boolean {
  return transition(status, event) !== null;
}

/** The events allowed from `status`, in declaration order (for menus and drop targets). */
export function taskEventsFrom(status: TaskStatus): TaskEventType[] {
  return allEvents.filter((type) => transition(status, { type }) !== null);
}

/**
 * The status after `event`, or a CONFLICT naming the current status, so a
 * stale action ("cancel" on a task that already finished) is refused clearly.
 */
export function nextTaskStatus(status: TaskStatus, event: TaskEvent): TaskStatus {
  const next = transition(status, event);
  if (!next) {
    throw new AppError(
      "CONFLICT",
      `Cannot ${eventLabel[event.type]}: the task is ${humanTaskStatus(status)}.`,
      { currentStatus: status },
    );
  }
  return next;
}
