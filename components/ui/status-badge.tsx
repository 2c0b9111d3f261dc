import type * as React from "react";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { cn } from "@/lib/utils/cn";

type StatusMeta = { label: string; variant: BadgeVariant; pulse?: boolean };

// One map for every status-like enum in the app, so a colour always means the same thing.
const STATUS: Record<string, StatusMeta> = {
  // Tasks / runs
  QUEUED: { label: "Queued", variant: "queued" },
  RUNNING: { label: "Running", variant: "running", pulse: true },
  VERIFYING: { label: "Verifying", variant: "verifying" },
  NEEDS_ATTENTION: { label: "Needs attention", variant: "attention" },
  DONE: { label: "Done", variant: "done" },
  FAILED: { label: "Failed", variant: "failed" },
  CANCELLED: { label: "Cancelled", variant: "cancelled" },
  // Tickets
  OPEN: { label: "Open", variant: "queued" },
  IN_PROGRESS: { label: "In progress", variant: "running" },
  CLOSED: { label: "Closed", variant: "done" },
  // Callback deliveries
  PENDING: { label: "Pending", variant: "queued" },
  DELIVERED: { label: "Delivered", variant: "done" },
  // Priorities: only the ones that need attention get colour.
  LOW: { label: "Low", variant: "muted" },
  MEDIUM: { label: "Medium", variant: "outline" },
  HIGH: { label: "High", variant: "attention" },
  CRITICAL: { label: "Critical", variant: "failed" },
};

const PHASE: Record<string, StatusMeta> = {
  INITIAL: { label: "Initial", variant: "initial" },
  IMPLEMENTATION: { label: "Implementation", variant: "implementation" },
  INTEGRATION: { label: "Integration", variant: "integration" },
  REFACTORING: { label: "Refactoring", variant: "refactoring" },
};

function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Label, badge variant and pulse for a status or priority; unknown values render neutral. */
export function getStatusMeta(status: string): StatusMeta {
  return STATUS[status] ?? { label: humanize(status), variant: "outline" };
}

export type StatusBadgeProps = Omit<React.ComponentProps<"span">, "children"> & {
  /** QUEUED | RUNNING | VERIFYING | NEEDS_ATTENTION | DONE | FAILED | CANCELLED | OPEN | IN_PROGRESS | CLOSED | LOW | MEDIUM | HIGH | CRITICAL */
  status: string;
  /** Override the label (e.g. "Running · 3m"). */
  label?: React.ReactNode;
  /** Show the leading colour dot (default true). */
  showDot?: boolean;
};

export function StatusBadge({
  status,
  label,
  showDot = true,
  className,
  ...props
}: StatusBadgeProps) {
  const meta = getStatusMeta(status);
  return (
    <Badge variant={meta.variant} data-status={status} className={className} {...props}>
      {showDot ? (
        <span
          aria-hidden="true"
          className={cn(
            "size-1.5 shrink-0 rounded-full bg-current",
            meta.pulse && "animate-status-pulse",
          )}
        />
      ) : null}
      {label ?? meta.label}
    </Badge>
  );
}

export type PhaseBadgeProps = Omit<React.ComponentProps<"span">, "children"> & {
  /** INITIAL | IMPLEMENTATION | INTEGRATION | REFACTORING */
  phase: string;
  label?: React.ReactNode;
};

/** A small, quiet phase tag. */
export function PhaseBadge({ phase, label, className, ...props }: PhaseBadgeProps) {
  const meta = PHASE[phase] ?? { label: humanize(phase), variant: "outline" as const };
  return (
    <Badge variant={meta.variant} data-phase={phase} className={className} {...props}>
      {label ?? meta.label}
    </Badge>
  );
}
