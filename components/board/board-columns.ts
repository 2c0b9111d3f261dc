// The board's two column sets (by status, by phase), their labels and colour marks. Client-safe.
import type { TaskPhase, TaskStatus } from "@/lib/generated/prisma/enums";
import { boardStatuses, taskStatusLabels } from "@/lib/tasks/manual-move";

export type BoardView = "status" | "phase";

export const boardPhases = [
  "INITIAL",
  "IMPLEMENTATION",
  "INTEGRATION",
  "REFACTORING",
] as const satisfies readonly TaskPhase[];

export const phaseLabels: Record<TaskPhase, string> = {
  INITIAL: "Initial",
  IMPLEMENTATION: "Implementation",
  INTEGRATION: "Integration",
  REFACTORING: "Refactoring",
};

// DESIGN.md: queued grey, running blue (pulsing), verifying violet, needs attention amber,
// done green, failed red, cancelled muted; pending is queued's grey, hollow (not yet runnable).
const statusDot: Record<TaskStatus, string> = {
  PENDING: "border border-status-queued",
  QUEUED: "bg-status-queued",
  RUNNING: "bg-status-running animate-status-pulse",
  VERIFYING: "bg-status-verifying",
  NEEDS_ATTENTION: "bg-status-attention",
  DONE: "bg-status-done",
  FAILED: "bg-status-failed",
  CANCELLED: "bg-status-cancelled opacity-60",
};

const phaseDot: Record<TaskPhase, string> = {
  INITIAL: "bg-phase-initial",
  IMPLEMENTATION: "bg-phase-implementation",
  INTEGRATION: "bg-phase-integration",
  REFACTORING: "bg-phase-refactoring",
};

export interface ColumnDef {
  key: string;
  label: string;
  dotClass: string;
}

export const columnsByView: Record<BoardView, ColumnDef[]> = {
  status: boardStatuses.map((s) => ({
    key: s,
    label: taskStatusLabels[s],
    dotClass: statusDot[s],
  })),
  phase: boardPhases.map((p) => ({ key: p, label: phaseLabels[p], dotClass: phaseDot[p] })),
};

export function columnKeyOf(
  view: BoardView,
  task: { status: TaskStatus; phase: TaskPhase },
): string {
  return view === "status" ? task.status : task.phase;
}

export function columnLabel(view: BoardView, key: string): string {
  return columnsByView[view].find((c) => c.key === key)?.label ?? key;
}
