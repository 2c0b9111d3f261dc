// What a person may do to a task by dragging it on the board or with its menu, and why
// everything else is refused. Pure (no database), shared by the board and moveTask.
import type { TaskStatus } from "@/lib/generated/prisma/enums";
import {
  canTransitionTask,
  manualTaskEvents,
  nextTaskStatus,
  type TaskEventType,
} from "./task-state";

/** The board's status columns, in the order work flows through them. */
export const boardStatuses = [
  "PENDING",
  "QUEUED",
  "RUNNING",
  "VERIFYING",
  "NEEDS_ATTENTION",
  "DONE",
  "FAILED",
  "CANCELLED",
] as const satisfies readonly TaskStatus[];

export const taskStatusLabels: Record<TaskStatus, string> = {
  PENDING: "Pending",
  QUEUED: "Queued",
  RUNNING: "Running",
  VERIFYING: "Verifying",
  NEEDS_ATTENTION: "Needs attention",
  DONE: "Done",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

/** What each manual move does, in the words of a menu item. */
export const manualMoveLabels: Record<ManualTaskEvent, string> = {
  retry: "Retry",
  resolve: "Mark done",
  cancel: "Cancel",
};

export type ManualTaskEvent = "retry" | "resolve" | "cancel";

export type ManualMove = { ok: true; event: ManualTaskEvent } | { ok: false; reason: string };

function lower(status: TaskStatus): string {
  return taskStatusLabels[status].toLowerCase();
}

/** Why a task in `from` cannot be moved to `to` by hand (the move is not one of the manual events). */
function refusal(from: TaskStatus, to: TaskStatus): string {
  if (from === "DONE") return "done tasks are finished and stay done";
  if (from === "CANCELLED") return "cancelled tasks stay cancelled";
  switch (to) {
    case "PENDING":
      return "Trellis keeps a task pending only while its dependencies are unfinished";
    case "RUNNING":
    case "VERIFYING":
      return "only an agent starts and verifies a task, when it reaches the front of the queue";
    case "NEEDS_ATTENTION":
      return "agents and the guardian flag tasks for attention, not people";
    case "FAILED":
      return "a task fails only by its own run; move it to Cancelled to stop it";
    case "QUEUED":
      return from === "PENDING"
        ? "a pending task is queued by itself once its dependencies are done"
        : "only failed tasks and tasks that need attention can be sent back to the queue";
    case "DONE":
      return `a ${lower(from)} task is marked done when its verification passes; only a task that needs attention can be marked done by hand`;
    case "CANCELLED":
      return `a ${lower(from)} task has already ended`;
  }
}

/**
 * The manual event (retry, resolve, cancel) that takes a task from `from` to
 * `to`, or the reason no such move exists.
 */
export function planManualMove(from: TaskStatus, to: TaskStatus): ManualMove {
  if (from === to) return { ok: false, reason: `the task is already ${lower(to)}` };
  for (const type of manualTaskEvents as readonly TaskEventType[]) {
    if (canTransitionTask(from, { type }) && nextTaskStatus(from, { type }) === to) {
      return { ok: true, event: type as ManualTaskEvent };
    }
  }
  return { ok: false, reason: refusal(from, to) };
}

/** The columns a task in `status` may be moved to by hand, with the event each one means. */
export function manualMoveTargets(
  status: TaskStatus,
): { to: TaskStatus; event: ManualTaskEvent }[] {
  return boardStatuses.flatMap((to) => {
    const plan = planManualMove(status, to);
    return plan.ok ? [{ to, event: plan.event }] : [];
  });
}

/** How a refusal names a task: its title, with its number for the ones that share a title. */
export function movedTaskName(task: { key: string; title: string }): string {
  return `“${task.title}” (task ${task.key})`;
}

/** The sentence a refused move is shown with: "Cannot move “Add CSV” (task 1.2) to Done: …". */
export function refusedMoveMessage(
  task: { key: string; title: string },
  to: TaskStatus,
  reason: string,
): string {
  return `Cannot move ${movedTaskName(task)} to ${taskStatusLabels[to]}: ${reason}.`;
}
