// Whether an executing spec is held by a task that needs a person. Pure: the spec page, the
// ticket page, the palette, the graph and the board's filters all word a spec's state from here.
import type { SpecState, TaskStatus } from "@/lib/generated/prisma/enums";

/** Task statuses that stop a spec's execution until a person acts (retry, fix, mark done). */
export const heldTaskStatuses = ["FAILED", "NEEDS_ATTENTION"] as const satisfies TaskStatus[];

/** Prisma `where` for a spec's held tasks; `_count: { select: { tasks: { where: heldTaskWhere } } }`. */
export const heldTaskWhere = { status: { in: [...heldTaskStatuses] } };

/** A stored spec state, or the derived NEEDS_ATTENTION of an execution held by a failed task. */
export type ShownSpecState = SpecState | "NEEDS_ATTENTION";

/**
 * The state to show for a spec: an executing (or verifying) spec with a failed or escalated
 * task can never finish by itself (its dependents wait for good), so it needs attention; any
 * other spec shows its stored state. Derived rather than stored: a retry that succeeds puts the
 * spec back to "Executing" with nothing to undo.
 */
export function shownSpecState(state: SpecState, heldTasks: number): ShownSpecState {
  return heldTasks > 0 && (state === "EXECUTING" || state === "VERIFYING")
    ? "NEEDS_ATTENTION"
    : state;
}
