import type { SpecPhase, SpecState } from "@/lib/generated/prisma/enums";
import { cn } from "@/lib/utils/cn";

type StepStatus = "draft" | "running" | "review" | "approved" | "failed" | "attention";

const steps: { key: SpecPhase | "EXECUTION"; label: string }[] = [
  { key: "REQUIREMENTS", label: "Requirements" },
  { key: "DESIGN", label: "Design" },
  { key: "TASKS", label: "Tasks" },
  { key: "EXECUTION", label: "Execution" },
];

const order = ["REQUIREMENTS", "DESIGN", "TASKS", "EXECUTION"] as const;

function statusOf(
  step: (typeof order)[number],
  state: SpecState,
  failedPhase: SpecPhase | null,
): StepStatus {
  const current: Record<SpecState, [(typeof order)[number], StepStatus]> = {
    DRAFT: ["REQUIREMENTS", "draft"],
    REQUIREMENTS_RUNNING: ["REQUIREMENTS", "running"],
    REQUIREMENTS_REVIEW: ["REQUIREMENTS", "review"],
    DESIGN_RUNNING: ["DESIGN", "running"],
    DESIGN_REVIEW: ["DESIGN", "review"],
    TASKS_RUNNING: ["TASKS", "running"],
    TASKS_REVIEW: ["TASKS", "review"],
    EXECUTING: ["EXECUTION", "running"],
    VERIFYING: ["EXECUTION", "running"],
    DONE: ["EXECUTION", "approved"],
    FAILED: [failedPhase ?? "REQUIREMENTS", "failed"],
    CANCELLED: ["REQUIREMENTS", "draft"],
  };
  const [at, status] = current[state];
  const i = order.indexOf(step);
  const j = order.indexOf(at);
  if (i < j) return "approved";
  if (i > j) return "draft";
  return status;
}

const dot: Record<StepStatus, string> = {
  draft: "bg-status-queued/40",
  running: "bg-status-running animate-status-pulse",
  review: "bg-status-attention",
  approved: "bg-status-done",
  failed: "bg-status-failed",
  attention: "bg-status-attention",
};

const words: Record<StepStatus, string> = {
  draft: "draft",
  running: "running",
  review: "review",
  approved: "approved",
  failed: "failed",
  attention: "needs attention",
};

/** Requirements → Design → Tasks → Execution, each marked draft, running, review, approved, failed or needs attention. */
export function PhaseStepper({
  state,
  failedPhase,
  attention = false,
}: {
  state: SpecState;
  failedPhase: SpecPhase | null;
  /** Execution is held by a failed task (lib/specs/spec-attention.ts): not "running". */
  attention?: boolean;
}) {
  return (
    <ol aria-label="Phases" className="flex flex-wrap items-center gap-1 text-xs">
      {steps.map((step, i) => {
        const stored = statusOf(step.key, state, failedPhase);
        const status = attention && stored === "running" ? "attention" : stored;
        return (
          <li
            key={step.key}
            className="flex items-center gap-1"
            // The phase the spec is at, for screen readers ("current step").
            aria-current={
              status === "review" ||
              status === "running" ||
              status === "failed" ||
              status === "attention"
                ? "step"
                : undefined
            }
          >
            {i > 0 ? (
              <span aria-hidden="true" className="mx-1 h-px w-5 bg-border max-sm:hidden" />
            ) : null}
            <span
              className={cn(
                "flex items-center gap-1.5 rounded-full border px-2 py-0.5",
                (status === "review" || status === "attention") && "border-status-attention/50",
                status === "failed" && "border-status-failed/50",
              )}
              data-status={status}
            >
              <span aria-hidden="true" className={cn("size-1.5 rounded-full", dot[status])} />
              <span className="font-medium">{step.label}</span>
              <span className="text-muted-foreground">{words[status]}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
