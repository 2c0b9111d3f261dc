import { ShieldAlert } from "lucide-react";
import type { GuardianAction } from "@/lib/generated/prisma/enums";

const actionLabel: Record<GuardianAction, string> = {
  NUDGE: "Nudged",
  RESTART: "Restarted",
  FAIL: "Failed",
  ESCALATE: "Escalated",
  FLAG_DUPLICATE: "Possible duplicate",
};

/** What the guardian (and conductor) did to a task and why, newest first. */
export function GuardianInterventions({
  interventions,
}: {
  interventions: { id: string; action: GuardianAction; reason: string; createdAt: Date }[];
}) {
  if (interventions.length === 0) return null;
  return (
    <section aria-labelledby="guardian-heading" className="grid gap-1.5">
      <h2 id="guardian-heading" className="flex items-center gap-1.5 font-medium text-sm">
        <ShieldAlert aria-hidden="true" className="size-4 text-status-attention" /> Guardian
      </h2>
      <ul className="grid gap-1 text-sm">
        {interventions.map((i) => (
          <li key={i.id} className="flex flex-wrap items-baseline gap-2">
            <span className="rounded border border-status-attention/50 px-1.5 text-xs">
              {actionLabel[i.action]}
            </span>
            <span>{i.reason}</span>
            <time
              dateTime={i.createdAt.toISOString()}
              className="text-muted-foreground text-xs"
              title={i.createdAt.toISOString()}
            >
              {i.createdAt.toISOString().slice(11, 19)} UTC
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
